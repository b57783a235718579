// `keyturn audit [list] | verify`: read the audit log, or check its hash chain (exit 1 naming the first bad line).
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { SetExitCode } from '../program.js';
import { EXIT_FAILED, writeJson } from '../run-action.js';
import { formatAudit, formatVerification } from './keys-format.js';
import { serviceAction } from '../service-action.js';

function parseLimit(text: unknown): number {
  if (text === undefined) return 50;
  const s = String(text);
  if (!/^[0-9]{1,7}$/.test(s)) throw new KeyturnError('usage', '--limit takes a number of lines (0 for all).');
  return Number(s);
}

export function registerAuditCommand(program: Command, setExitCode: SetExitCode): void {
  const audit = program.command('audit').description('Read or verify the audit log (what happened to which key; never a value).');

  audit
    .command('list', { isDefault: true })
    .description('Print the latest audit lines, oldest first.')
    .option('--limit <n>', 'how many lines (default 50; 0 for all)')
    .option('--json', 'print JSON')
    .action(
      serviceAction(setExitCode, async ({ services, io, opts }) => {
        const entries = await services.audit.list(parseLimit(opts.limit));
        if (io.json) writeJson(io, { entries });
        else io.stdout.write(formatAudit(entries));
      }),
    );

  audit
    .command('verify')
    .description('Check the hash chain: exits 1 and names the first line that was edited, removed or reordered.')
    .option('--json', 'print JSON')
    .action(
      serviceAction(setExitCode, async ({ services, io }) => {
        const result = await services.audit.verify();
        if (io.json) writeJson(io, { path: services.audit.path, ...result });
        else (result.ok ? io.stdout : io.stderr).write(formatVerification(result, services.audit.path));
        return result.ok ? 0 : EXIT_FAILED;
      }),
    );
}
