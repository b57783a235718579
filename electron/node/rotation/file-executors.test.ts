// The file executors on their own, over the real vault (in-memory keychain), env set and keys export services: a JWKS
// after the overlap holds the one version asked for, a JWKS that would publish key material is refused before any
// file is written, the JWKS it replaces is kept, and an .env write goes to .env-named files only.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StepAction } from '../../../shared/rotation/types.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { createAudited } from '../services/audited.js';
import { createEnvSetService } from '../services/env-set-service.js';
import { createGenerateService } from '../services/generate-service.js';
import { createKeyExportService } from '../services/key-export-service.js';
import { nodeKeyCrypto } from '../services/node-key-crypto.js';
import { createVaultService } from '../services/vault-service.js';
import { HomeStore } from '../store/home-store.js';
import { fileExecutors } from './file-executors.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-file-executors-'));
const home = new HomeStore(join(dir, 'home'));
const vault = createVaultService({ home, keychain: new MemoryKeychain(), crypto: nodeKeyCrypto, timeoutMs: 5_000 });
const generate = createGenerateService();
const registry = fileExecutors({
  envset: () => createEnvSetService({ vault, audited: createAudited(home) }),
  keyExport: () => createKeyExportService({ vault, generate }),
});

function run(action: StepAction): Promise<string> {
  const executor = registry[action.op];
  assert.equal(executor?.mode, 'inline');
  return (executor as { run(a: StepAction, ctx: object): Promise<string> }).run(action, {});
}

test('a JWKS of one version holds its kid alone; the JWKS it replaces is kept beside it', async () => {
  await vault.generateAndStore({ name: 'signer', options: { kind: 'jwt-ec' } });
  await vault.rotate('signer');
  const file = join(dir, 'jwks.json');
  await run({ op: 'jwks-export', key: 'signer', file });
  const both = readFileSync(file, 'utf8');
  assert.equal((JSON.parse(both) as { keys: unknown[] }).keys.length, 2);
  const summary = await run({ op: 'jwks-export', key: 'signer', file, version: 2 });
  const alone = JSON.parse(readFileSync(file, 'utf8')) as { keys: { kid: string; d?: string }[] };
  const v2 = (await vault.show('signer')).versions.find((v) => v.version === 2)!.fingerprint.replace(/^jwk-thumbprint:/, '');
  assert.deepEqual(
    alone.keys.map((k) => k.kid),
    [v2],
  );
  assert.equal(alone.keys[0]!.d, undefined);
  assert.equal(readFileSync(`${file}.1.bak`, 'utf8'), both, 'the JWKS with both keys is kept for the rollback');
  assert.match(
    summary,
    /^Wrote a JWKS of signer@v2 to .*jwks\.json \(kids .*\); public keys only; the JWKS before is kept as .*jwks\.json\.1\.bak\.$/,
  );
});

test('a JWKS that would publish key material is refused and nothing is written', async () => {
  await vault.generateAndStore({ name: 'hmac', options: { kind: 'jwt-hmac' } });
  const file = join(dir, 'hmac-jwks.json');
  // The export service refuses a symmetric key itself...
  await assert.rejects(run({ op: 'jwks-export', key: 'hmac', file }), /--format jwks does not fit jwt-hmac keys/);
  // ...and should an export ever carry a private member, the executor refuses it too (the export stands in here).
  const leaky = fileExecutors({
    envset: () => assert.fail('no env write'),
    keyExport: () => ({ export: async () => ({ text: '{"keys":[{"kty":"EC","kid":"a","d":"private"}]}', secret: false, versions: [1] }) }),
  })['jwks-export'] as { run(a: StepAction, ctx: object): Promise<string> };
  await assert.rejects(leaky.run({ op: 'jwks-export', key: 'signer', file }, {}), {
    code: 'refused',
    message: /would hold private key material/,
  });
  assert.equal(existsSync(file), false);
});

test('an .env write goes to .env-named files only', async () => {
  await vault.generateAndStore({ name: 'fern', options: { kind: 'fernet' } });
  const file = join(dir, 'settings.txt');
  writeFileSync(file, 'FERN=x\n');
  await assert.rejects(run({ op: 'env-set', file, variable: 'FERN', refs: ['fern@v1'] }), {
    code: 'refused',
    message: /writes only to \.env files/,
  });
  assert.equal(readFileSync(file, 'utf8'), 'FERN=x\n');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('settings')),
    ['settings.txt'],
  );
});
