// `keys import` takes only keys Keyturn could have made (a guide's published key, "five" and a DATABASE_URL are
// refused), says when a value is already stored under another name, and `keys rotate` refuses what it cannot remake.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateKey } from '../crypto/generate-key.js';
import { fingerprintOf } from '../crypto/fingerprint.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { HomeStore } from '../store/home-store.js';
import { createAuditService } from './audit-service.js';
import { nodeKeyCrypto } from './node-key-crypto.js';
import { createVaultService } from './vault-service.js';
import { FINGERPRINT_KEY_ACCOUNT } from './fingerprint-key.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-import-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function setup() {
  n += 1;
  const home = new HomeStore(join(root, `home-${n}`));
  const memory = new MemoryKeychain();
  const vault = createVaultService({ home, keychain: memory, crypto: nodeKeyCrypto, timeoutMs: 5_000 });
  const file = join(root, `app-${n}.env`);
  return { home, memory, vault, file, audit: createAuditService(home) };
}

const GUIDE_FERNET = 'AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=';

test('the guide’s published Fernet key, "five", a DATABASE_URL, a password and a weak RSA key are refused, saying why', async () => {
  const { vault, memory, file } = setup();
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(
    file,
    [
      `PII_ENC_KEY=${GUIDE_FERNET}`,
      'SECRET_KEY=five',
      'DATABASE_URL=postgresql+asyncpg://app:T9She0mrezLsk4YsNg9hes8@db:5432/app',
      'ADMIN_PASSWORD=Summer2024!',
      `OLD_RSA="${rsa1024.trimEnd().replace(/\n/g, '\\n')}"`,
      'NOT_FERNET=abc',
      '',
    ].join('\n'),
  );
  const cases: [string, RegExp, string?][] = [
    ['PII_ENC_KEY', /is the example key printed in the ResumeRAG Phase 2 migration guide/],
    ['SECRET_KEY', /is too short for a random secret \(4 bytes; at least 20\): it looks like a password/],
    ['DATABASE_URL', /is a URL \(a connection string\), not a key/],
    ['ADMIN_PASSWORD', /is too short .* looks like a password/],
    ['OLD_RSA', /is an RSA key of 1024 bits/],
    ['NOT_FERNET', /is not a Fernet key/, 'fernet'],
  ];
  for (const [variable, sentence, kind] of cases) {
    await assert.rejects(
      vault.importFromEnv({ name: variable.toLowerCase().replace(/_/g, '-'), file, variable, ...(kind ? { kind: kind as 'fernet' } : {}) }),
      (e: unknown) => {
        const err = e as { code: string; message: string };
        assert.equal(err.code, 'invalid-key', variable);
        assert.match(err.message, sentence);
        assert.ok(!err.message.includes('T9She0mrezLsk4YsNg9hes8') && !err.message.includes('Summer2024'), 'never quoted');
        return true;
      },
    );
  }
  assert.equal(memory.entries.size, 0, 'nothing was stored');
  assert.deepEqual(await vault.list(), []);
});

test('a value already stored under another name is imported with a note naming that key', async () => {
  const { vault, file } = setup();
  const stored = await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  writeFileSync(file, `LEGACY_KEY=${stored.key.secret}\n`);
  const imported = await vault.importFromEnv({ name: 'legacy-key', file, variable: 'LEGACY_KEY' });
  assert.equal(imported.record.kind, 'fernet');
  assert.deepEqual(
    imported.alsoStoredAs.map((m) => [m.name, m.version, m.status]),
    [['pii-enc-key', 1, 'current']],
  );
  assert.equal(imported.record.versions[0]!.origin, 'imported');
});

test('keys rotate refuses a key it cannot remake (a URL an older Keyturn stored as a secret) and leaves it as it was', async () => {
  const { vault, memory, home, audit } = setup();
  // As an older Keyturn left it: an imported URL under kind "secret", with no origin recorded.
  const url = 'postgresql://app:T9She0mrezLsk4YsNg9hes8@db:5432/app';
  memory.entries.set('db-url@v1', url);
  await home.locked(() =>
    home.writeInventory({
      format: 1,
      keys: [
        {
          name: 'db-url',
          kind: 'secret',
          tags: [],
          current: 1,
          versions: [
            {
              version: 1,
              status: 'current',
              created: new Date().toISOString(),
              fingerprint: fingerprintOf('secret', url),
              size: 400,
              chunks: 1,
            },
          ],
        },
      ],
    }),
  );
  await assert.rejects(vault.rotate('db-url'), (e: unknown) => {
    const err = e as { code: string; message: string };
    assert.equal(err.code, 'refused');
    assert.match(err.message, /^Keyturn cannot make a new version of db-url: db-url@v1 is a URL/);
    assert.ok(!err.message.includes('T9She0'), 'the URL is never quoted');
    return true;
  });
  assert.deepEqual(
    [...memory.entries.keys()].filter((a) => a !== FINGERPRINT_KEY_ACCOUNT),
    ['db-url@v1'],
  );
  assert.equal((await vault.show('db-url')).versions.length, 1);

  // A generated key rotates without its value being read for the check.
  await vault.generateAndStore({ name: 'session', options: { kind: 'secret' } });
  const before = (await audit.list()).length;
  await vault.rotate('session');
  const lines = (await audit.list()).slice(before);
  assert.deepEqual(
    lines.map((l) => [l.action, l.key, l.outcome]),
    [['rotate', 'session', 'ok']],
  );
  assert.ok(!readFileSync(home.inventoryPath, 'utf8').includes(url));
});

test('an imported random secret rotates like a generated one', async () => {
  const { vault, file } = setup();
  const secret = (await generateKey({ kind: 'secret', bytes: 48 })).secret;
  writeFileSync(file, `API_SIGNING_SECRET=${secret}\n`);
  const imported = await vault.importFromEnv({ name: 'api-signing', file, variable: 'API_SIGNING_SECRET' });
  assert.equal(imported.record.kind, 'secret');
  const rotated = await vault.rotate('api-signing');
  assert.equal(rotated.version, 2);
  assert.equal(rotated.record.versions.find((v) => v.version === 2)!.size, 384, 'like for like: 48 bytes');
});
