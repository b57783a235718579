// Wraps a command's action: builds the services with the command's --timeout, gives the action its io, and turns
// whatever it throws into one line on stderr and an exit code.
import type { Command } from 'commander';
import { compose, type Services } from '../node/compose.js';
import type { SetExitCode } from './program.js';
import { EXIT_OK, reportError, type CliIo } from './run-action.js';
import { keychainConfigFrom } from './commands/timeout-option.js';

export type ServiceAction = (ctx: {
  services: Services;
  io: CliIo;
  opts: Record<string, unknown>;
  args: string[];
}) => Promise<number | void>;

export function serviceAction(setExitCode: SetExitCode, run: ServiceAction): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.opts<Record<string, unknown>>();
    const io: CliIo = { stdout: process.stdout, stderr: process.stderr, json: opts.json === true };
    try {
      const services = compose({ config: keychainConfigFrom(command) });
      // Commander passes positional args, then opts, then the command; variadic ones (`<paths...>`) arrive as an array.
      const code = await run({ services, io, opts, args: args.slice(0, -2).flat().map(String) });
      setExitCode(code ?? EXIT_OK);
    } catch (error) {
      setExitCode(reportError(error, io));
    }
  };
}
