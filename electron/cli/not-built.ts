// Commands announced but not built yet: one list, read by the CLI (a hidden placeholder that points to the README)
// and by the tests that keep the README's "Not built yet" list and package.json's description in step with it.
// Whoever lands one of these commands removes its entry here and its line in the README; a test says so otherwise.
import type { Command } from 'commander';
import { KeyturnError } from '../../shared/domain/errors.js';
import type { CliContext } from './command.js';
import { reportError } from './output.js';

export interface NotBuilt {
  /** The top-level command a user would type. */
  command: string;
  /** What it will do, as the README's "Not built yet" list says it (the line there starts with these words). */
  what: string;
  /** How a claim of it would read in package.json's description, which must not make one until it is built. */
  claim: RegExp;
}

export const NOT_BUILT: readonly NotBuilt[] = [
  { command: 'rotate', what: 'rotation plans with due dates and runbooks', claim: /rotation plan|runbook|due date/i },
];

/** Placeholders for the commands not built yet, so `keyturn push` says what is going on instead of "unknown command". */
export function registerNotBuiltCommands(program: Command, cli: CliContext): void {
  const taken = new Set(program.commands.map((c) => c.name()));
  for (const entry of NOT_BUILT) {
    if (taken.has(entry.command)) continue;
    program
      .command(entry.command, { hidden: true })
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action((_args: string[], _opts: unknown, self: Command) => {
        const json = self.args.includes('--json');
        const error = new KeyturnError(
          'usage',
          `"${entry.command}" is not built yet (${entry.what}); see "Not built yet" in Keyturn's README.md for what exists today.`,
        );
        cli.setExitCode(reportError(error, { stdout: process.stdout, stderr: process.stderr, json }));
      });
  }
}
