// `keyturn audit [list] | verify`: read the audit log, or check its hash chain (exit 1 naming the first bad line).
import type { Command } from 'commander';
import { defineCommand, type CliContext } from '../command.js';
import { parseCount } from '../options.js';
import { EXIT_FAILED, writeJson } from '../output.js';
import { formatAudit, formatVerification } from './keys-format.js';

function parseLimit(text: unknown): number {
  return parseCount(text, '--limit', 7) ?? 50;
}

export function registerAuditCommand(program: Command, cli: CliContext): void {
  const audit = program.command('audit').description('Read or verify the audit log (what happened to which key; never a value).');

  defineCommand(audit, cli, {
    name: 'list',
    description: 'Print the latest audit lines, oldest first.',
    isDefault: true,
    options: [['--limit <n>', 'how many lines (default 50; 0 for all)']],
    json: true,
    async run({ services, io, opts }) {
      const entries = await services.audit.list(parseLimit(opts.limit));
      if (io.json) writeJson(io, { entries });
      else io.stdout.write(formatAudit(entries));
    },
  });

  defineCommand(audit, cli, {
    name: 'verify',
    description: 'Check the hash chain: exits 1 and names the first line that was edited, removed or reordered.',
    json: true,
    async run({ services, io }) {
      const result = await services.audit.verify();
      if (io.json) writeJson(io, { path: services.audit.path, ...result });
      else (result.ok ? io.stdout : io.stderr).write(formatVerification(result, services.audit.path));
      return result.ok ? 0 : EXIT_FAILED;
    },
  });
}
