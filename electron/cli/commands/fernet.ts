// `keyturn fernet encrypt|decrypt|rotate`: Fernet over stdin/stdout, interchangeable with Python's cryptography.fernet.
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { Fernet, MultiFernet } from '../../node/crypto/fernet.js';
import type { SetExitCode } from '../program.js';
import { reportError, type CliIo } from '../run-action.js';
import { compose } from '../../node/compose.js';
import type { VaultService } from '../../node/services/vault-service.js';
import { fernetKeysFromVault } from './fernet-keychain.js';
import { TIMEOUT_HELP, keychainConfigFrom } from './timeout-option.js';

/** Where the keys come from: environment variables (--key-env) or the OS keychain (--key NAME[@vN], --old-key). */
export interface FernetKeyOptions {
  keyEnv?: string;
  oldKeyEnv?: string;
  /** Keychain references NAME[@vN], comma-separated (fernet-keychain.ts). */
  key?: string;
  oldKey?: string;
}

/** Where --key / --old-key are read from, and what the audit log records them as used for. */
export interface FernetKeychainSource {
  vault: VaultService;
  purpose: 'encrypt' | 'decrypt' | 'rotate';
}

export interface FernetKeySet {
  /** Newest first: the first key encrypts; any of them decrypts. */
  current: Fernet[];
  /** Keys being retired (rotate only): they decrypt, never encrypt. */
  old: Fernet[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads a comma-separated list of Fernet keys (as Airflow's FERNET_KEY) from an environment variable. */
function keysFromEnv(name: string, flag: string, env: NodeJS.ProcessEnv): Fernet[] {
  if (!ENV_NAME.test(name))
    throw new KeyturnError('invalid-input', `${flag} takes the NAME of an environment variable (letters, digits, _), not a key.`);
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new KeyturnError(
      'invalid-input',
      `Environment variable ${name} is not set or is empty; export the Fernet key in it (e.g. ${name}=$(keyturn generate fernet)).`,
    );
  }
  const items = value.split(',').map((item) => item.trim());
  return items.map((item, i) => {
    try {
      return new Fernet(item);
    } catch (error) {
      if (!(error instanceof KeyturnError)) throw error;
      const which = items.length > 1 ? ` (key ${i + 1} of ${items.length})` : '';
      // The engine's sentence never contains the key; keep only its reason and say where the key came from.
      throw new KeyturnError(
        'invalid-key',
        `The key in ${name}${which} is not usable: ${error.message.replace(/^The Fernet key is not usable: /, '')}`,
      );
    }
  });
}

/** Resolves the keys for a fernet command. Async so a keychain lookup can join without changing callers. */
export async function resolveFernetKeys(
  opts: FernetKeyOptions,
  env: NodeJS.ProcessEnv = process.env,
  keychain?: FernetKeychainSource,
): Promise<FernetKeySet> {
  if (opts.key !== undefined && opts.keyEnv !== undefined)
    throw new KeyturnError('usage', 'Give the key with --key NAME or with --key-env VAR, not both.');
  if (opts.keyEnv === undefined && opts.key === undefined) {
    throw new KeyturnError(
      'usage',
      'Give the key with --key NAME (a Fernet key stored in the OS keychain) or --key-env VAR (an environment variable holding it).',
    );
  }
  const fromVault = (refs: string, currentOnly: boolean): Promise<Fernet[]> => {
    if (!keychain) throw new KeyturnError('usage', '--key and --old-key need the OS keychain, which this command was not given.');
    return fernetKeysFromVault(keychain.vault, refs, `fernet ${keychain.purpose}`, currentOnly);
  };
  const current =
    opts.key !== undefined ? await fromVault(opts.key, keychain?.purpose === 'encrypt') : keysFromEnv(opts.keyEnv!, '--key-env', env);
  const old = [
    ...(opts.oldKey === undefined ? [] : await fromVault(opts.oldKey, false)),
    ...(opts.oldKeyEnv === undefined ? [] : keysFromEnv(opts.oldKeyEnv, '--old-key-env', env)),
  ];
  return { current, old };
}

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

function write(stream: NodeJS.WritableStream, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => stream.write(data, (error) => (error ? reject(error) : resolve())));
}

/** Tokens are ASCII; latin1 keeps any other byte as a non-ASCII character, which the decoder then refuses. */
function tokenText(input: Buffer): string {
  return input.toString('latin1').trim();
}

function parseTtl(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(text))
    throw new KeyturnError('invalid-input', `--ttl takes a whole number of seconds (got ${JSON.stringify(text.slice(0, 20))}).`);
  return Number(text);
}

export async function fernetEncrypt(keys: FernetKeySet, input: Buffer): Promise<string> {
  return `${new MultiFernet(keys.current).encrypt(input)}\n`;
}

export async function fernetDecrypt(keys: FernetKeySet, input: Buffer, ttl: number | undefined): Promise<Buffer> {
  const token = tokenText(input);
  if (token === '')
    throw new KeyturnError('invalid-input', 'No token on standard input; pipe the token in (keyturn fernet decrypt ... < token.txt).');
  return new MultiFernet([...keys.current, ...keys.old]).decrypt(token, ttl === undefined ? {} : { ttl });
}

/** One token per line in, one rotated token per line out; nothing is written unless every token rotates. */
export async function fernetRotate(keys: FernetKeySet, input: Buffer): Promise<string> {
  const multi = new MultiFernet([...keys.current, ...keys.old]);
  const lines = tokenText(input)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new KeyturnError('invalid-input', 'No token on standard input; pipe the tokens in, one per line.');
  return lines
    .map((line, i) => {
      try {
        return `${multi.rotate(line)}\n`;
      } catch (error) {
        if (error instanceof KeyturnError && lines.length > 1) throw new KeyturnError(error.code, `Line ${i + 1}: ${error.message}`);
        throw error;
      }
    })
    .join('');
}

type Action = 'encrypt' | 'decrypt' | 'rotate';

async function runFernet(action: Action, opts: FernetKeyOptions & { ttl?: string }, command: Command): Promise<void> {
  const ttl = parseTtl(opts.ttl);
  const keychain =
    opts.key !== undefined || opts.oldKey !== undefined
      ? { vault: compose({ config: keychainConfigFrom(command) }).vault, purpose: action }
      : undefined;
  const keys = await resolveFernetKeys(opts, process.env, keychain);
  const input = await readStdin();
  if (action === 'encrypt') await write(process.stdout, await fernetEncrypt(keys, input));
  else if (action === 'decrypt') await write(process.stdout, await fernetDecrypt(keys, input, ttl));
  else await write(process.stdout, await fernetRotate(keys, input));
}

export function registerFernetCommand(program: Command, setExitCode: SetExitCode): void {
  const fernet = program
    .command('fernet')
    .description("Encrypt, decrypt and rotate Fernet tokens on stdin/stdout, compatible with Python's cryptography.fernet.");
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, json: false };
  const keyHelp = 'environment variable holding the Fernet key; "new,old" lists several (first encrypts, any decrypts)';
  const storedHelp =
    'a Fernet key in the OS keychain; NAME is its current version (its retiring versions also decrypt), NAME@vN one version';
  const run = (action: Action) => async (opts: FernetKeyOptions & { ttl?: string }, command: Command) => {
    try {
      await runFernet(action, opts, command);
    } catch (error) {
      setExitCode(reportError(error, io));
    }
  };
  fernet
    .command('encrypt')
    .description('Encrypt stdin (any bytes) and print the token and a newline.')
    .option('--key-env <VAR>', keyHelp)
    .option('--key <NAME[@vN]>', storedHelp)
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  PII_ENC_KEY=$(keyturn generate fernet) keyturn fernet encrypt --key-env PII_ENC_KEY < data.bin > token.txt',
    )
    .action(run('encrypt'));
  fernet
    .command('decrypt')
    .description('Decrypt the token on stdin (surrounding whitespace ignored) and write the exact plaintext bytes.')
    .option('--key-env <VAR>', keyHelp)
    .option('--key <NAME[@vN]>', storedHelp)
    .option('--old-key <NAME[@vN]>', 'also try these stored keys (comma-separated)')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .option('--ttl <seconds>', 'refuse tokens older than this (and more than 60 s in the future), as Fernet.decrypt(token, ttl)')
    .addHelpText('after', '\nExample:\n  keyturn fernet decrypt --key-env PII_ENC_KEY --ttl 3600 < token.txt > data.bin')
    .action(run('decrypt'));
  fernet
    .command('rotate')
    .description('Re-encrypt tokens (one per line) under the first key of --key-env, keeping each original timestamp (MultiFernet.rotate).')
    .option('--key-env <VAR>', 'environment variable holding the NEW key (or "new,old" list)')
    .option('--old-key-env <VAR>', 'environment variable holding the old key(s) being retired')
    .option('--key <NAME[@vN]>', 'the stored key to re-encrypt under (NAME: its current version; its retiring versions also decrypt)')
    .option('--old-key <NAME[@vN]>', 'stored key(s) being retired, comma-separated')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText('after', '\nExample:\n  keyturn fernet rotate --key-env NEW_KEY --old-key-env OLD_KEY < tokens.txt > rotated.txt')
    .action(run('rotate'));
}
