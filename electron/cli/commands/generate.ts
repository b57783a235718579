// `keyturn generate KIND`: makes a key and prints it as text, json, env, pem, jwk or jwks.
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../../shared/domain/generated-key.js';
import { KEY_KINDS, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { generateKey, type GenerateOptions } from '../../node/crypto/generate-key.js';
import { renderKey } from '../../node/crypto/render-key.js';
import type { SetExitCode } from '../program.js';
import { reportError, type CliIo } from '../run-action.js';
import { runGenerateStore, wantsStore, type StoreCliOptions } from './generate-store.js';
import { TIMEOUT_HELP } from './timeout-option.js';
import { collect } from './vault-action.js';

/** Options exactly as commander hands them over (strings). */
export interface GenerateCliOptions {
  alg?: string;
  bits?: string;
  bytes?: string;
  format?: string;
  envVar?: string;
  json?: boolean;
}

export interface GeneratePlan {
  request: GenerateOptions;
  format: OutputFormat;
  envVar?: string;
}

const EXAMPLES = `
Examples:
  keyturn generate fernet                          a key for Python's cryptography.fernet
  keyturn generate fernet --env-var PII_ENC_KEY    PII_ENC_KEY=... for a .env file
  keyturn generate secret --bytes 48               like secrets.token_urlsafe(48)
  keyturn generate jwt-hmac --alg HS512            64 random bytes, base64url
  keyturn generate jwt-rsa --alg PS256 --bits 3072 --format jwk
  keyturn generate jwt-ec --alg ES384 --format jwks   public key set to publish
  keyturn generate jwt-ed25519 --json              value plus kind, alg, size, fingerprint, created
  keyturn generate fernet --name pii-enc-key --store --env-var PII_ENC_KEY   into the OS keychain`;

function count(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(text))
    throw new KeyturnError('invalid-input', `${flag} takes a whole number (got ${JSON.stringify(text.slice(0, 20))}).`);
  return Number(text);
}

/** Turns command-line strings into a generate request and an output choice; throws usage/invalid-input errors. */
export function planGenerate(kind: string, opts: GenerateCliOptions): GeneratePlan {
  if (!(KEY_KINDS as readonly string[]).includes(kind)) {
    throw new KeyturnError(
      'invalid-input',
      `Unknown key kind ${JSON.stringify(kind.slice(0, 40))}; choose one of ${KEY_KINDS.join(', ')}.`,
    );
  }
  let format: OutputFormat = 'text';
  if (opts.format !== undefined) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(opts.format)) {
      throw new KeyturnError(
        'invalid-input',
        `Unknown --format ${JSON.stringify(opts.format.slice(0, 20))}; choose one of ${OUTPUT_FORMATS.join(', ')}.`,
      );
    }
    format = opts.format as OutputFormat;
  } else if (opts.envVar !== undefined) {
    format = 'env';
  }
  if (opts.json) {
    if (opts.format !== undefined && format !== 'json')
      throw new KeyturnError('usage', '--json prints the JSON document; leave out --format or use --format json.');
    format = 'json';
  }
  if (opts.envVar !== undefined && format !== 'env')
    throw new KeyturnError('usage', '--env-var names the variable of --format env; leave it out for other formats.');
  const request: GenerateOptions = {
    kind: kind as KeyKind,
    ...(opts.alg !== undefined ? { alg: opts.alg } : {}),
    ...(opts.bits !== undefined ? { bits: count(opts.bits, '--bits') } : {}),
    ...(opts.bytes !== undefined ? { bytes: count(opts.bytes, '--bytes') } : {}),
  };
  return { request, format, ...(opts.envVar !== undefined ? { envVar: opts.envVar } : {}) };
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}

export async function runGenerate(kind: string, opts: GenerateCliOptions, io: CliIo): Promise<void> {
  const plan = planGenerate(kind, opts);
  const key = await generateKey(plan.request);
  // Storing (--name NAME --store) goes through runGenerateStore in generate-store.ts instead.
  await write(io.stdout, await renderKey(key, plan.format, plan.envVar !== undefined ? { envVar: plan.envVar } : {}));
}

export function registerGenerateCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('generate')
    .description('Generate a key and print it: a Fernet key, a random secret, or a JWT signing key (HMAC, RSA, EC, Ed25519).')
    .argument('<kind>', KEY_KINDS.join(' | '))
    .option('--alg <alg>', 'JWT algorithm: HS256|HS384|HS512, RS256..RS512, PS256..PS512, ES256|ES384|ES512, EdDSA')
    .option('--bits <n>', 'RSA modulus size: 2048 (default), 3072 or 4096; for EC, 256|384|521 picks the curve')
    .option('--bytes <n>', 'random bytes for secret (default 32, at least 16) and jwt-hmac (default and minimum: the hash size)')
    .option('--format <format>', `output: ${OUTPUT_FORMATS.join('|')} (default text)`)
    .option('--env-var <name>', 'variable name for --format env (implies it), e.g. PII_ENC_KEY')
    .option('--json', 'print one JSON document: the value with kind, alg, size, fingerprint, created')
    .option('--name <name>', 'with --store: the name to keep the key under in the OS keychain')
    .option('--store', 'store the key in the OS keychain as NAME@v1 and print name, version and fingerprint (the value only with --format)')
    .option('--add-version', 'with --store: add a new version to an existing NAME instead of refusing')
    .option('--tag <tag>', 'with --store: a tag for the inventory (repeatable)', collect)
    .option('--notes <text>', 'with --store: a note for the inventory')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .addHelpText('after', EXAMPLES)
    .action(async (kind: string, opts: GenerateCliOptions & StoreCliOptions, command: Command) => {
      const io: CliIo = { stdout: process.stdout, stderr: process.stderr, json: Boolean(opts.json) };
      try {
        if (wantsStore(opts)) await runGenerateStore(kind, opts, io, command);
        else await runGenerate(kind, opts, io);
      } catch (error) {
        setExitCode(reportError(error, io));
      }
    });
}
