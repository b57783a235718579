// `keyturn generate KIND`: makes a key and prints it (text, json, env, pem, jwk, jwks), or keeps it in the OS keychain.
import type { Command } from 'commander';
import { OUTPUT_FORMATS } from '../../../shared/domain/generated-key.js';
import { KEY_KINDS } from '../../../shared/domain/key-kinds.js';
import { defineCommand, type CliContext } from '../command.js';
import { collect, labelsFrom } from '../options.js';
import { write, writeJson } from '../output.js';
import { planGenerate } from './generate-plan.js';

const EXAMPLES = `  keyturn generate fernet                          a key for Python's cryptography.fernet
  keyturn generate fernet --env-var PII_ENC_KEY    PII_ENC_KEY=... for a .env file
  keyturn generate secret --bytes 48               like secrets.token_urlsafe(48)
  keyturn generate jwt-hmac --alg HS512            64 random bytes, base64url
  keyturn generate jwt-rsa --alg PS256 --bits 4096 --format jwk
  keyturn generate jwt-ec --alg ES384 --format jwks   public key set to publish
  keyturn generate jwt-ed25519 --json              value plus kind, alg, size, fingerprint, created
  keyturn generate fernet --name pii-enc-key --store --env-var PII_ENC_KEY   into the OS keychain`;

export function registerGenerateCommand(program: Command, cli: CliContext): void {
  defineCommand(program, cli, {
    name: 'generate',
    description: 'Generate a key and print it: a Fernet key, a random secret, or a JWT signing key (HMAC, RSA, EC, Ed25519).',
    arguments: [['<kind>', KEY_KINDS.join(' | ')]],
    options: [
      ['--alg <alg>', 'JWT algorithm: HS256|HS384|HS512, RS256..RS512, PS256..PS512, ES256|ES384|ES512, EdDSA'],
      ['--bits <n>', 'RSA modulus size: 2048, 3072 (default) or 4096; for EC, 256|384|521 picks the curve'],
      ['--bytes <n>', 'random bytes for secret (default 32, at least 16) and jwt-hmac (default and minimum: the hash size)'],
      ['--format <format>', `output: ${OUTPUT_FORMATS.join('|')} (default text)`],
      ['--env-var <name>', 'variable name for --format env (implies it), e.g. PII_ENC_KEY; with --store, the inventory hint'],
      ['--name <name>', 'with --store: the name to keep the key under in the OS keychain'],
      ['--store', 'store the key in the OS keychain as NAME@v1 and print name, version and fingerprint (the value only with --format)'],
      ['--add-version', 'with --store: add a new version to an existing NAME instead of refusing'],
      ['--tag <tag>', 'with --store: a tag for the inventory (repeatable)', collect],
      ['--notes <text>', 'with --store: a note for the inventory'],
    ],
    json: true,
    keychain: true,
    examples: EXAMPLES,
    async run({ services, io, opts, args }) {
      const plan = planGenerate(args[0]!, opts);
      const render = (key: Parameters<typeof services.generate.export>[0]) =>
        services.generate.export(key, plan.format, plan.envVar !== undefined ? { envVar: plan.envVar } : {});
      if (!plan.store) {
        await write(io.stdout, (await render(await services.generate.generate(plan.request))).text);
        return;
      }
      const { record, version, key } = await services.vault.generateAndStore({
        name: plan.store.name,
        options: plan.request,
        addVersion: plan.store.addVersion,
        ...labelsFrom(opts),
      });
      const fingerprint = record.versions.find((v) => v.version === version)!.fingerprint;
      const summary = `Stored ${record.name}@v${version} (${record.kind}${record.alg ? ` ${record.alg}` : ''}, fingerprint ${fingerprint}) in the OS keychain; env var hint ${record.envVar ?? '-'}.\n`;
      if (plan.printValue) {
        await write(io.stdout, (await render(key)).text);
        io.stderr.write(summary);
      } else if (io.json) {
        writeJson(io, { name: record.name, version, fingerprint, key: record });
      } else {
        io.stdout.write(summary);
      }
    },
  });
}
