// The vault's rules with the real crypto engine and real files, over the in-memory keychain (the adapter itself is
// tested against gnome-keyring): versioning, retire/delete rules, locked and changed-outside answers, timeouts, audit.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fingerprintOf } from '../crypto/fingerprint.js';
import { generateKey } from '../crypto/generate-key.js';
import { ChunkedKeychain } from '../keychain/chunked-keychain.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { HomeStore } from '../store/home-store.js';
import { createAuditService } from './audit-service.js';
import { nodeKeyCrypto } from './node-key-crypto.js';
import { createVaultService } from './vault-service.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-vault-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function setup(timeoutMs = 5_000) {
  n += 1;
  const home = new HomeStore(join(root, `home-${n}`));
  const memory = new MemoryKeychain();
  const vault = createVaultService({ home, keychain: new ChunkedKeychain(memory, 200), crypto: nodeKeyCrypto, timeoutMs });
  return { home, memory, vault, audit: createAuditService(home) };
}

function filesOf(home: HomeStore): string {
  return ['inventory.json', 'inventory.json.bak', 'audit.log', 'audit.log.head']
    .map((f) => {
      try {
        return readFileSync(join(home.home, f), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}

test('storing puts the value in the keychain as name@v1 and only metadata in the inventory', async () => {
  const { vault, memory, home } = setup();
  const key = await generateKey({ kind: 'fernet' });
  const { record, version } = await vault.store({ name: 'pii-enc-key', key, tags: ['pii'] });
  assert.equal(version, 1);
  assert.equal(memory.entries.get('pii-enc-key@v1'), key.secret);
  assert.equal(record.envVar, 'PII_ENC_KEY');
  assert.deepEqual(
    record.versions.map((v) => [v.version, v.status, v.publicFingerprint, v.size]),
    [[1, 'current', key.fingerprint, 256]],
  );
  // The inventory's own fingerprint is keyed with this installation's key, and differs from the public form.
  assert.match(record.versions[0]!.fingerprint, /^hmac:[A-Za-z0-9_-]{22}$/);
  assert.equal(await vault.fingerprint('fernet', key.secret), record.versions[0]!.fingerprint);
  assert.ok(!filesOf(home).includes(key.secret));
});

test('storing under an existing name is refused unless a version is added; nothing is overwritten', async () => {
  const { vault, memory, audit } = setup();
  const first = await generateKey({ kind: 'secret' });
  const second = await generateKey({ kind: 'secret' });
  await vault.store({ name: 'api', key: first });
  await assert.rejects(vault.store({ name: 'api', key: second }), { code: 'already-exists' });
  assert.equal(memory.entries.get('api@v1'), first.secret);
  const { record, version } = await vault.store({ name: 'api', key: second, addVersion: true });
  assert.equal(version, 2);
  assert.deepEqual(
    record.versions.map((v) => v.status),
    ['retiring', 'current'],
  );
  assert.equal(memory.entries.get('api@v1'), first.secret);
  assert.equal(memory.entries.get('api@v2'), second.secret);
  assert.deepEqual(
    (await audit.list()).map((e) => [e.action, e.version, e.outcome, e.code]),
    [
      ['store', 1, 'ok', undefined],
      ['store', undefined, 'refused', 'already-exists'],
      ['store', 2, 'ok', undefined],
    ],
  );
});

test('a new version must be the same kind and algorithm', async () => {
  const { vault } = setup();
  await vault.store({ name: 'jwt', key: await generateKey({ kind: 'jwt-hmac', alg: 'HS256' }) });
  await assert.rejects(vault.store({ name: 'jwt', key: await generateKey({ kind: 'fernet' }), addVersion: true }), { code: 'refused' });
  await assert.rejects(vault.store({ name: 'jwt', key: await generateKey({ kind: 'jwt-hmac', alg: 'HS512' }), addVersion: true }), {
    code: 'refused',
  });
});

test('an entry already in the keychain under the next account is never overwritten', async () => {
  const { vault, memory } = setup();
  memory.entries.set('left@v1', 'something else put here');
  await assert.rejects(vault.store({ name: 'left', key: await generateKey({ kind: 'fernet' }) }), { code: 'changed-outside' });
  assert.equal(memory.entries.get('left@v1'), 'something else put here');
});

test('rotate adds a version of the same kind, algorithm and size, makes it current and keeps the old one retiring', async () => {
  const { vault, memory } = setup();
  await vault.generateAndStore({ name: 'signer', options: { kind: 'jwt-ec', alg: 'ES384' } });
  const { record, version } = await vault.rotate('signer');
  assert.equal(version, 2);
  assert.equal(record.current, 2);
  assert.equal(record.alg, 'ES384');
  assert.deepEqual(
    record.versions.map((v) => [v.status, v.size]),
    [
      ['retiring', 384],
      ['current', 384],
    ],
  );
  const v1 = (await vault.reveal({ name: 'signer', version: 1 }, { reason: 'reveal' })).value;
  const v2 = (await vault.reveal({ name: 'signer' }, { reason: 'reveal' })).value;
  assert.notEqual(v1, v2);
  assert.match(v2, /^-----BEGIN PRIVATE KEY-----/);
  assert.ok(memory.entries.has('signer@v2'));
});

test('retire deletes an old version only with confirmation, and never the current one', async () => {
  const { vault, memory } = setup();
  await vault.generateAndStore({ name: 'db', options: { kind: 'secret', bytes: 48 } });
  await vault.rotate('db');
  await assert.rejects(vault.retire('db', 2, true), { code: 'refused', message: /current version/ });
  await assert.rejects(vault.retire('db', 1, false), { code: 'refused', message: /--yes/ });
  assert.ok(memory.entries.has('db@v1'));
  const record = await vault.retire('db', 1, true);
  assert.equal(memory.entries.has('db@v1'), false);
  assert.deepEqual(
    record.versions.map((v) => v.status),
    ['retired', 'current'],
  );
  await assert.rejects(vault.retire('db', 1, true), { code: 'refused', message: /already retired/ });
  await assert.rejects(vault.reveal({ name: 'db', version: 1 }, { reason: 'reveal' }), { code: 'not-found' });
  // Version numbers are never reused after a retire.
  assert.equal((await vault.rotate('db')).version, 3);
});

test('revert makes a stored earlier version current again, keeps the newer one, and refuses what it cannot restore', async () => {
  const { vault, memory, audit } = setup();
  await vault.generateAndStore({ name: 'pii', options: { kind: 'fernet' } });
  await vault.rotate('pii');
  const reverted = await vault.revert('pii', 1);
  assert.equal(reverted.current, 1);
  assert.deepEqual(
    reverted.versions.map((v) => [v.version, v.status]),
    [
      [1, 'current'],
      [2, 'retiring'],
    ],
  );
  assert.ok(memory.entries.has('pii@v2'), 'the newer version stays in the keychain');
  assert.equal((await vault.reveal({ name: 'pii' }, { reason: 'use' })).version, 1);
  await assert.rejects(vault.revert('pii', 1), { code: 'refused', message: /already the current/ });
  await assert.rejects(vault.revert('pii', 3), { code: 'not-found' });
  // Back to v2, then v1 retired: it cannot come back.
  await vault.revert('pii', 2);
  await vault.retire('pii', 1, true);
  await assert.rejects(vault.revert('pii', 1), { code: 'refused', message: /retired/ });
  // A version changed outside Keyturn is never made current.
  await vault.rotate('pii');
  memory.entries.set('pii@v2', (await generateKey({ kind: 'fernet' })).secret);
  await assert.rejects(vault.revert('pii', 2), { code: 'changed-outside' });
  assert.equal((await vault.show('pii')).current, 3);
  const lines = (await audit.list()).filter((e) => e.action === 'revert');
  assert.deepEqual(
    lines.map((e) => [e.version, e.outcome, e.code]),
    [
      [1, 'ok', undefined],
      [1, 'refused', 'refused'],
      [3, 'refused', 'not-found'],
      [2, 'ok', undefined],
      [1, 'refused', 'refused'],
      [2, 'failed', 'changed-outside'],
    ],
  );
});

test('delete removes every version only with confirmation', async () => {
  const { vault, memory } = setup();
  await vault.generateAndStore({ name: 'gone', options: { kind: 'fernet' } });
  await vault.rotate('gone');
  await assert.rejects(vault.delete('gone', false), { code: 'refused' });
  const keys = () => [...memory.entries.keys()].filter((a) => a.startsWith('gone@'));
  assert.equal(keys().length, 2);
  await vault.delete('gone', true);
  assert.equal(keys().length, 0);
  assert.deepEqual(await vault.list(), []);
  await assert.rejects(vault.show('gone'), { code: 'not-found' });
});

test('reveal returns the value and audits the reason; show and list never carry it', async () => {
  const { vault, audit } = setup();
  const { key } = await vault.generateAndStore({ name: 'r', options: { kind: 'jwt-hmac', alg: 'HS384' } });
  assert.deepEqual(await vault.reveal({ name: 'r' }, { reason: 'copy' }), { name: 'r', version: 1, value: key.secret });
  assert.ok(!JSON.stringify(await vault.list()).includes(key.secret));
  assert.ok(!JSON.stringify(await vault.show('r')).includes(key.secret));
  assert.deepEqual(
    (await audit.list()).map((e) => e.action),
    ['generate', 'copy'],
  );
});

test('a locked keyring (reads return null) is reported as locked, never as absent, and nothing is generated over it', async () => {
  const { vault, memory } = setup();
  await vault.generateAndStore({ name: 'pii', options: { kind: 'fernet' } });
  const before = memory.entries.get('pii@v1');
  memory.mode = 'locked';
  await assert.rejects(vault.reveal({ name: 'pii' }, { reason: 'reveal' }), {
    code: 'keychain-locked',
    message: /locked or the entry was changed outside Keyturn/,
  });
  await assert.rejects(vault.rotate('pii'), { code: 'keychain-locked' });
  await assert.rejects(vault.delete('pii', true), { code: 'keychain-locked' });
  memory.mode = 'ok';
  assert.equal(memory.entries.get('pii@v1'), before);
  assert.deepEqual(
    (await vault.show('pii')).versions.map((v) => v.version),
    [1],
  );
});

test('an entry removed or replaced outside Keyturn is reported as changed outside', async () => {
  const { vault, memory } = setup();
  await vault.generateAndStore({ name: 'x', options: { kind: 'fernet' } });
  memory.entries.set('x@v1', (await generateKey({ kind: 'fernet' })).secret);
  await assert.rejects(vault.reveal({ name: 'x' }, { reason: 'reveal' }), { code: 'changed-outside', message: /fingerprint/ });
  memory.entries.delete('x@v1');
  await assert.rejects(vault.reveal({ name: 'x' }, { reason: 'reveal' }), { code: 'changed-outside', message: /no entry x@v1/ });
});

test('a keychain that never answers ends in keychain-timeout, and a cancel in keychain-cancelled', async () => {
  const { vault, memory, audit } = setup(100);
  await vault.generateAndStore({ name: 's', options: { kind: 'fernet' } });
  memory.mode = 'stalled';
  await assert.rejects(vault.reveal({ name: 's' }, { reason: 'reveal' }), { code: 'keychain-timeout' });
  const status = await vault.status();
  assert.equal(status.state, 'unavailable');
  assert.equal(status.code, 'keychain-timeout');
  const slow = setup(60_000);
  await slow.vault.generateAndStore({ name: 's', options: { kind: 'fernet' } });
  slow.memory.mode = 'stalled';
  const controller = new AbortController();
  const pending = slow.vault.reveal({ name: 's' }, { reason: 'reveal', signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(pending, { code: 'keychain-cancelled' });
  assert.deepEqual((await audit.list()).map((e) => [e.action, e.outcome, e.code]).slice(-1), [['reveal', 'failed', 'keychain-timeout']]);
});

test('unavailable keychains pass their own code through', async () => {
  const { vault, memory } = setup();
  memory.mode = 'keychain-no-provider';
  await assert.rejects(vault.generateAndStore({ name: 'np', options: { kind: 'fernet' } }), { code: 'keychain-no-provider' });
  assert.deepEqual(await vault.list(), []);
  assert.equal((await vault.status()).code, 'keychain-no-provider');
});

test('values larger than one entry are chunked and read back; the inventory records the chunk count', async () => {
  const { vault, memory } = setup();
  const { record, key } = await vault.generateAndStore({ name: 'rsa', options: { kind: 'jwt-rsa', bits: 2048 } });
  assert.ok(record.versions[0]!.chunks > 1);
  assert.ok(memory.entries.has('rsa@v1#2'));
  assert.equal((await vault.reveal({ name: 'rsa' }, { reason: 'export' })).value, key.secret);
});

test('import reads the variable as python-dotenv does, guesses its kind and records the file as target', async () => {
  const { vault, home, audit } = setup();
  const pem = (await generateKey({ kind: 'jwt-ed25519' })).secret;
  const fernet = (await generateKey({ kind: 'fernet' })).secret;
  const file = join(home.home, '..', `app-${n}.env`);
  writeFileSync(file, `# app\nSIGNING_KEY="${pem.trimEnd().replace(/\n/g, '\\n')}"\nexport PII_KEY=${fernet}\nEMPTY=\n`);
  const signing = await vault.importFromEnv({ name: 'signing', file, variable: 'SIGNING_KEY' });
  assert.equal(signing.record.kind, 'jwt-ed25519');
  assert.equal(signing.record.envVar, 'SIGNING_KEY');
  const pii = await vault.importFromEnv({ name: 'pii', file, variable: 'PII_KEY' });
  assert.equal(pii.record.kind, 'fernet');
  assert.equal((await vault.reveal({ name: 'pii' }, { reason: 'reveal' })).value, fernet);
  await assert.rejects(vault.importFromEnv({ name: 'e', file, variable: 'EMPTY' }), { code: 'invalid-input' });
  await assert.rejects(vault.importFromEnv({ name: 'm', file, variable: 'MISSING' }), { code: 'not-found' });
  await assert.rejects(vault.importFromEnv({ name: 'w', file, variable: 'PII_KEY', kind: 'jwt-rsa' }), { code: 'invalid-key' });
  assert.equal((await audit.list()).find((e) => e.action === 'import')?.target, file);
  const files = filesOf(home);
  for (const secret of [pem, fernet, Buffer.from(fernet).toString('base64')]) assert.ok(!files.includes(secret));
});

test('labels that would leak the key into the inventory are refused', async () => {
  const { vault } = setup();
  const key = await generateKey({ kind: 'secret' });
  await assert.rejects(vault.store({ name: 'l', key, notes: `backup: ${key.secret}` }), { code: 'invalid-input' });
  await assert.rejects(vault.store({ name: 'l', key, envVar: '1BAD' }), { code: 'invalid-input' });
  await assert.rejects(vault.store({ name: 'bad name', key }), { code: 'invalid-name' });
});

test('an old inventory is keyed on first use: generated versions keep their public form, imported ones lose it', async () => {
  const { vault, home, memory, audit } = setup();
  const generated = await vault.generateAndStore({ name: 'made', options: { kind: 'secret' } });
  const envFile = join(root, `weak-${n}.env`);
  writeFileSync(envFile, 'PW=Summer2024!Winter2025!\n');
  const imported = await vault.importFromEnv({ name: 'pw', file: envFile, variable: 'PW' });
  assert.match(imported.warning!, /looks guessable: it reads like words/);
  // Turn the inventory back into what an older Keyturn wrote: unkeyed digests, no key id.
  const legacy = (await home.readInventory()).keys.map((k) => ({
    ...k,
    versions: k.versions.map(({ publicFingerprint: _p, ...v }) => ({
      ...v,
      fingerprint: fingerprintOf(k.kind, memory.entries.get(`${k.name}@v1`)!),
    })),
  }));
  writeFileSync(home.inventoryPath, JSON.stringify({ format: 1, keys: legacy }));
  writeFileSync(`${home.inventoryPath}.bak`, JSON.stringify({ format: 1, keys: legacy }));

  const listed = await vault.list();
  const made = listed.find((k) => k.name === 'made')!.versions[0]!;
  const pw = listed.find((k) => k.name === 'pw')!.versions[0]!;
  assert.equal(made.fingerprint, generated.record.versions[0]!.fingerprint, 'the same keyed form as a fresh store');
  assert.equal(made.publicFingerprint, generated.key.fingerprint);
  assert.equal(pw.fingerprint, imported.record.versions[0]!.fingerprint);
  assert.equal(pw.publicFingerprint, undefined);
  for (const file of [home.inventoryPath, `${home.inventoryPath}.bak`]) {
    assert.ok(!readFileSync(file, 'utf8').includes(fingerprintOf('secret', 'Summer2024!Winter2025!')), file);
  }
  const last = (await audit.list()).at(-1)!;
  assert.deepEqual(
    [last.action, last.detail],
    ['migrate-fingerprints', 'fingerprints of 2 versions keyed; 1 generated by Keyturn kept a public form'],
  );
  assert.equal((await vault.reveal({ name: 'pw' }, { reason: 'use' })).value, 'Summer2024!Winter2025!');
});

test('a fingerprint key lost from the keychain is reported, never silently replaced', async () => {
  const { vault, memory, home } = setup();
  await vault.generateAndStore({ name: 'k', options: { kind: 'fernet' } });
  const before = readFileSync(home.inventoryPath, 'utf8');
  memory.entries.delete('keyturn-fingerprint-key');
  const fresh = createVaultService({ home, keychain: new ChunkedKeychain(memory, 200), crypto: nodeKeyCrypto, timeoutMs: 5_000 });
  await assert.rejects(fresh.reveal({ name: 'k' }, { reason: 'reveal' }), { code: 'changed-outside', message: /keyturn-fingerprint-key/ });
  await assert.rejects(fresh.generateAndStore({ name: 'k2', options: { kind: 'fernet' } }), { code: 'changed-outside' });
  assert.equal(memory.entries.has('keyturn-fingerprint-key'), false);
  assert.equal(readFileSync(home.inventoryPath, 'utf8'), before);
});
