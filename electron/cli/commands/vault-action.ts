// Wraps the actions of `keyturn keys` and `keyturn audit`: builds the services with the command's --timeout, gives the
// action its io, and turns whatever it throws into one line on stderr and an exit code.
import type { Command } from 'commander';
import { compose, type Services } from '../../node/compose.js';
import type { SetExitCode } from '../program.js';
import { reportError, type CliIo } from '../run-action.js';
import { keychainConfigFrom } from './timeout-option.js';

export type VaultAction = (ctx: { services: Services; io: CliIo; opts: Record<string, unknown>; args: string[] }) => Promise<number | void>;

export function vaultAction(setExitCode: SetExitCode, run: VaultAction): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.opts<Record<string, unknown>>();
    const io: CliIo = { stdout: process.stdout, stderr: process.stderr, json: opts.json === true };
    try {
      const services = compose({ config: keychainConfigFrom(command) });
      const code = await run({ services, io, opts, args: args.slice(0, -2).map(String) });
      setExitCode(code ?? 0);
    } catch (error) {
      setExitCode(reportError(error, io));
    }
  };
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** --env-var, repeatable --tag and --notes, as the vault takes them. */
export function labelsFrom(opts: Record<string, unknown>): { envVar?: string; tags?: string[]; notes?: string } {
  return {
    ...(typeof opts.envVar === 'string' ? { envVar: opts.envVar } : {}),
    ...(Array.isArray(opts.tag) ? { tags: opts.tag.map(String) } : {}),
    ...(typeof opts.notes === 'string' ? { notes: opts.notes } : {}),
  };
}
