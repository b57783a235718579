// The one shape of a CLI command: declared options (with --json and --timeout added in one place), an action that
// gets the composed services, and every error turned into one line on stderr and an exit code.
import { Option, type Command } from 'commander';
import { compose, type Services } from '../node/compose.js';
import { TIMEOUT_HELP, configFrom } from './options.js';
import { EXIT_OK, reportError, type CliIo } from './output.js';

export type SetExitCode = (code: number) => void;

/** What every command registration gets from the program. */
export interface CliContext {
  setExitCode: SetExitCode;
}

export interface ActionContext {
  /** Built lazily: a command pays only for the services it touches. */
  services: Services;
  io: CliIo;
  opts: Record<string, unknown>;
  /** Positional arguments; a variadic one (`<paths...>`) is spread into the list. */
  args: string[];
  command: Command;
}

export type OptionSpec =
  | [flags: string, description: string]
  | [flags: string, description: string, defaultValue: string]
  | [flags: string, description: string, parse: (value: string, previous: string[] | undefined) => string[]];

export interface CommandSpec {
  /** `name` or `name <arg>`, as commander takes it. */
  name: string;
  description: string;
  arguments?: [name: string, description: string][];
  options?: OptionSpec[];
  /** Options the command cannot run without. */
  required?: [flags: string, description: string][];
  /** Adds `--json`: one JSON document on stdout, errors included. */
  json?: boolean;
  /** Adds `--timeout`: the command waits on the OS keychain. */
  keychain?: boolean;
  examples?: string;
  /** For `audit list`: what runs when the parent is given alone. */
  isDefault?: boolean;
  /** Returns the exit code (default 0); throws a KeyturnError for a sentence on stderr and exit 1 or 2. */
  run(ctx: ActionContext): Promise<number | void>;
}

export function timeoutOption(): Option {
  return new Option('--timeout <seconds>', TIMEOUT_HELP);
}

export function defineCommand(parent: Command, cli: CliContext, spec: CommandSpec): Command {
  const command = parent.command(spec.name, spec.isDefault ? { isDefault: true } : {}).description(spec.description);
  for (const [name, description] of spec.arguments ?? []) command.argument(name, description);
  for (const [flags, description] of spec.required ?? []) command.requiredOption(flags, description);
  for (const [flags, description, extra] of spec.options ?? []) {
    if (typeof extra === 'function') command.option(flags, description, extra);
    else if (extra !== undefined) command.option(flags, description, extra);
    else command.option(flags, description);
  }
  if (spec.json) command.option('--json', 'print one JSON document on stdout');
  if (spec.keychain) command.addOption(timeoutOption());
  if (spec.examples) command.addHelpText('after', `\nExamples:\n${spec.examples}`);
  command.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const opts = self.opts<Record<string, unknown>>();
    const io: CliIo = { stdout: process.stdout, stderr: process.stderr, json: opts.json === true };
    try {
      const services = compose({ config: configFrom(self) });
      // Commander passes positional args, then opts, then the command; a variadic one arrives as an array.
      const args = received
        .slice(0, -2)
        .flat()
        .filter((a) => a !== undefined)
        .map(String);
      cli.setExitCode((await spec.run({ services, io, opts, args, command: self })) ?? EXIT_OK);
    } catch (error) {
      cli.setExitCode(reportError(error, io));
    }
  });
  return command;
}
