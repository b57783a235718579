// `keyturn` entry point: parses argv with commander and runs the same services the desktop app uses.
import { type Command, CommanderError } from 'commander';
import { createProgram } from './program.js';
import { EXIT_USAGE, describeError, exitCodeFor } from './output.js';

/** Subcommands copy their parent's settings only when created after them, so apply ours to the whole tree. */
function configureTree(command: Command): void {
  command.exitOverride();
  command.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  for (const sub of command.commands) configureTree(sub);
}

export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program: Command = createProgram({
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  configureTree(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // `--help` and `--version` exit 0; help shown because a subcommand is missing is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    // Actions report their own errors; this is the last guard so nothing ever prints a stack trace.
    process.stderr.write(`${describeError(error)}\n`);
    return exitCodeFor(error);
  }
  return exitCode;
}

/** Resolves once everything written to the stream so far has left the process (or the reader has gone away). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// A pipe to a slow reader (jq, CI's upload step) still holds output here: exiting now would cut it at 64 KiB.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
// Keychain calls can leave libsecret threads waiting on D-Bus; the command's work is done and written, so end.
process.exit(code);
