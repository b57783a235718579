// `keyturn fernet encrypt|decrypt|rotate`: Fernet over stdin/stdout, interchangeable with Python's cryptography.fernet.
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { FernetKeyRing, FernetKeySource } from '../../node/services/fernet-service.js';
import { defineCommand, type ActionContext, type CliContext } from '../command.js';
import { str } from '../options.js';
import { write } from '../output.js';

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', () =>
      reject(new KeyturnError('unreadable-input', 'Could not read standard input; pipe the data in (keyturn fernet ... < file).')),
    );
  });
}

/** Tokens are ASCII; latin1 keeps any other byte as a non-ASCII character, which the decoder then refuses. */
function tokenText(input: Buffer): string {
  return input.toString('latin1').trim();
}

function parseTtl(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(String(text))) {
    throw new KeyturnError('invalid-input', `--ttl takes a whole number of seconds (got ${JSON.stringify(String(text).slice(0, 20))}).`);
  }
  return Number(text);
}

export function fernetEncrypt(keys: FernetKeyRing, input: Buffer): string {
  return `${keys.multi.encrypt(input)}\n`;
}

export function fernetDecrypt(keys: FernetKeyRing, input: Buffer, ttl: number | undefined): Buffer {
  const token = tokenText(input);
  if (token === '')
    throw new KeyturnError('invalid-input', 'No token on standard input; pipe the token in (keyturn fernet decrypt ... < token.txt).');
  return keys.multi.decrypt(token, ttl === undefined ? {} : { ttl });
}

/** One token per line in, one rotated token per line out; nothing is written unless every token rotates. */
export function fernetRotate(keys: FernetKeyRing, input: Buffer): string {
  const lines = tokenText(input)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new KeyturnError('invalid-input', 'No token on standard input; pipe the tokens in, one per line.');
  return lines
    .map((line, i) => {
      try {
        return `${keys.multi.rotate(line)}\n`;
      } catch (error) {
        if (error instanceof KeyturnError && lines.length > 1) throw new KeyturnError(error.code, `Line ${i + 1}: ${error.message}`);
        throw error;
      }
    })
    .join('');
}

type Action = 'encrypt' | 'decrypt' | 'rotate';

function sourceFrom(opts: Record<string, unknown>): FernetKeySource {
  const source: FernetKeySource = {};
  for (const field of ['key', 'oldKey', 'keyEnv', 'oldKeyEnv'] as const) {
    const value = str(opts[field]);
    if (value !== undefined) source[field] = value;
  }
  return source;
}

const KEY_ENV_HELP = 'environment variable holding the Fernet key; "new,old" lists several (first encrypts, any decrypts)';
const STORED_HELP =
  'a Fernet key in the OS keychain; NAME is its current version (its retiring versions also decrypt), NAME@vN one version';

export function registerFernetCommand(program: Command, cli: CliContext): void {
  const fernet = program
    .command('fernet')
    .description("Encrypt, decrypt and rotate Fernet tokens on stdin/stdout, compatible with Python's cryptography.fernet.");
  const run =
    (action: Action) =>
    async ({ services, io, opts }: ActionContext) => {
      const ttl = parseTtl(opts.ttl);
      const keys = await services.fernet.keyRing(sourceFrom(opts), { purpose: `fernet ${action}`, encryptOnly: action === 'encrypt' });
      const input = await readStdin();
      if (action === 'encrypt') await write(io.stdout, fernetEncrypt(keys, input));
      else if (action === 'decrypt') await write(io.stdout, fernetDecrypt(keys, input, ttl));
      else await write(io.stdout, fernetRotate(keys, input));
    };
  defineCommand(fernet, cli, {
    name: 'encrypt',
    description: 'Encrypt stdin (any bytes) and print the token and a newline.',
    options: [
      ['--key-env <VAR>', KEY_ENV_HELP],
      ['--key <NAME[@vN]>', STORED_HELP],
    ],
    keychain: true,
    examples: '  PII_ENC_KEY=$(keyturn generate fernet) keyturn fernet encrypt --key-env PII_ENC_KEY < data.bin > token.txt',
    run: run('encrypt'),
  });
  defineCommand(fernet, cli, {
    name: 'decrypt',
    description: 'Decrypt the token on stdin (surrounding whitespace ignored) and write the exact plaintext bytes.',
    options: [
      ['--key-env <VAR>', KEY_ENV_HELP],
      ['--key <NAME[@vN]>', STORED_HELP],
      ['--old-key <NAME[@vN]>', 'also try these stored keys (comma-separated)'],
      ['--ttl <seconds>', 'refuse tokens older than this (and more than 60 s in the future), as Fernet.decrypt(token, ttl)'],
    ],
    keychain: true,
    examples: '  keyturn fernet decrypt --key-env PII_ENC_KEY --ttl 3600 < token.txt > data.bin',
    run: run('decrypt'),
  });
  defineCommand(fernet, cli, {
    name: 'rotate',
    description: 'Re-encrypt tokens (one per line) under the first key, keeping each original timestamp (MultiFernet.rotate).',
    options: [
      ['--key-env <VAR>', 'environment variable holding the NEW key (or "new,old" list)'],
      ['--old-key-env <VAR>', 'environment variable holding the old key(s) being retired'],
      ['--key <NAME[@vN]>', 'the stored key to re-encrypt under (NAME: its current version; its retiring versions also decrypt)'],
      ['--old-key <NAME[@vN]>', 'stored key(s) being retired, comma-separated'],
    ],
    keychain: true,
    examples: '  keyturn fernet rotate --key-env NEW_KEY --old-key-env OLD_KEY < tokens.txt > rotated.txt',
    run: run('rotate'),
  });
}
