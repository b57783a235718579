// `keyturn` entry point: parses argv with commander and runs the same services the desktop app uses.
import { Command, CommanderError } from 'commander';
import { createProgram } from './program.js';
import { EXIT_USAGE } from './run-action.js';

export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program: Command = createProgram((code) => {
    exitCode = code;
  });
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    throw error;
  }
  return exitCode;
}

const code = await runCli(process.argv.slice(2));
// Keychain calls can leave libsecret threads waiting on D-Bus; the command's work is done, so end the process.
process.exitCode = code;
setImmediate(() => process.exit(code));
