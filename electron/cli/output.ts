// What a CLI command prints: results on stdout (text or one JSON document), one-line errors on stderr, exit codes 0/1/2.
import { KeyturnError, isInputError } from '../../shared/domain/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  json: boolean;
}

/** Exit code for an error thrown by a service: 2 for bad input, 1 for a failed operation. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof KeyturnError) return isInputError(error.code) ? EXIT_USAGE : EXIT_FAILED;
  return EXIT_FAILED;
}

/** A sentence safe to print: KeyturnError messages are written to never hold secrets; anything else is summarised. */
export function describeError(error: unknown): string {
  if (error instanceof KeyturnError) return `keyturn: ${error.message} [${error.code}]`;
  const name = error instanceof Error ? error.name : typeof error;
  return `keyturn: unexpected ${name}; nothing was changed that was not already reported. Run with KEYTURN_DEBUG=1 for the stack.`;
}

export function reportError(error: unknown, io: CliIo): number {
  const code = exitCodeFor(error);
  if (io.json) {
    const body =
      error instanceof KeyturnError
        ? { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } }
        : { error: { code: 'internal', message: describeError(error) } };
    io.stdout.write(`${JSON.stringify(body)}\n`);
  }
  io.stderr.write(`${describeError(error)}\n`);
  if (process.env.KEYTURN_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return code;
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes and waits until the stream has taken the data. */
export function write(stream: NodeJS.WritableStream, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => stream.write(data, (error) => (error ? reject(error) : resolve())));
}
