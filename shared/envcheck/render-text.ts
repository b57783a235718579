// Human output of `env check`: findings grouped by file, coloured on a terminal, ending with one summary line.
import type { EnvReport, Severity } from './report.js';

const COLOURS: Record<Severity | 'path' | 'dim' | 'ok', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  info: ['\x1b[36m', '\x1b[39m'],
  path: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  ok: ['\x1b[32m', '\x1b[39m'],
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderText(report: EnvReport, options: { color: boolean }): string {
  const paint = (style: keyof typeof COLOURS, text: string): string =>
    options.color ? `${COLOURS[style][0]}${text}${COLOURS[style][1]}` : text;
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    lines.push(paint('path', file.path));
    for (const f of file.findings) {
      const where = (f.line !== undefined ? `${f.line}` : '-').padStart(5);
      const severity = paint(f.severity, f.severity.padEnd(7));
      lines.push(`${where}  ${severity}  ${f.message}  ${paint('dim', f.code)}`);
    }
    lines.push('');
  }
  const { errors, warnings, infos } = report.summary;
  const checked = report.checked ?? report.files.filter((f) => f.role === 'env').length;
  const total = errors + warnings + infos;
  if (checked === 0 && errors === 0) {
    lines.push('No .env file was found, so nothing was checked (allowed by --allow-empty).');
  } else if (total === 0) {
    lines.push(paint('ok', `No problems found in ${plural(checked, 'file')}.`));
  } else {
    const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}`;
    lines.push(
      `${report.failed ? paint('error', counts) : counts} in ${plural(checked, 'file')} checked${report.strict ? ' (strict: warnings fail)' : ''}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
