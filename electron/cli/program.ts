// Builds the commander program: one register function per command group, each in its own file.
import { Command } from 'commander';

export type SetExitCode = (code: number) => void;

export function createProgram(setExitCode: SetExitCode): Command {
  const program = new Command('keyturn')
    .description('Generate, store, check and rotate application secrets.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions();
  return program;
}
