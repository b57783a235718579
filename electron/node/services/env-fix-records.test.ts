// `env fix` keeps records a user can trust: numbered backups never overwritten, an audit line naming the file,
// storing that refuses a taken name unless asked to add a version, and only .env-named files ever written.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { compose, type Services } from '../compose.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';

let root: string;
let n = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyturn-envfix-records-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function setup(text: string): Promise<{ dir: string; file: string; services: Services }> {
  n += 1;
  const dir = join(root, `case${n}`);
  await mkdir(dir);
  const file = join(dir, '.env');
  await writeFile(file, text);
  await chmod(file, 0o644);
  return { dir, file, services: compose({ config: { home: join(dir, 'home') }, keychain: new MemoryKeychain() }) };
}

const PROFILE = 'namaskah-security-2.4';

test('every fix keeps a new numbered backup; an existing backup is never overwritten', async () => {
  const { dir, file, services } = await setup('A=1\n');
  await writeFile(join(dir, '.env.1.bak'), 'SOMEONE ELSES=backup\n');
  const first = await services.envcheck.fix({ file, profile: PROFILE });
  assert.equal(first.backup, join(dir, '.env.2.bak'));
  const afterFirst = await readFile(file, 'utf8');
  const second = await services.envcheck.fix({ file, profile: PROFILE, regenerate: ['SECRET_KEY'] });
  assert.equal(second.backup, join(dir, '.env.3.bak'));
  assert.equal(await readFile(join(dir, '.env.1.bak'), 'utf8'), 'SOMEONE ELSES=backup\n', 'untouched');
  assert.equal(await readFile(join(dir, '.env.2.bak'), 'utf8'), 'A=1\n', 'the original survives a second fix');
  assert.equal(await readFile(join(dir, '.env.3.bak'), 'utf8'), afterFirst);
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a file that receives a fresh secret becomes 600 and says so; the audit log names the file as the target', async () => {
  const { file, services } = await setup('A=1\n');
  const result = await services.envcheck.fix({ file, profile: PROFILE, storePrefix: 'app-' });
  assert.deepEqual(result.permissions, { from: '644', to: '600' });
  const lines = await services.audit.list();
  const write = lines.find((l) => l.action === 'env-write');
  assert.ok(write, 'one env-write line');
  assert.equal(write.target, file);
  assert.equal(write.key, 'SECRET_KEY,JWT_SECRET_KEY');
  assert.match(write.detail ?? '', /SECRET_KEY appended: new secret value \(stored as app-secret-key v1\).*mode 644 -> 600$/);
  const stores = lines.filter((l) => l.action === 'store');
  assert.deepEqual(
    stores.map((l) => [l.key, l.target]),
    [
      ['app-secret-key', file],
      ['app-jwt-secret-key', file],
    ],
  );
  const values = [...envValues(parseEnv(await readFile(file, 'utf8'))).values()].filter((v): v is string => !!v && v.length > 20);
  const log = await readFile(services.audit.path, 'utf8');
  for (const v of values) assert.ok(!log.includes(v), 'no value in the audit log');
  assert.equal((await services.audit.verify()).ok, true);
});

test('--store-prefix refuses a name that exists, before anything is generated or written; --add-version adds a version', async () => {
  const { dir, file, services } = await setup('A=1\n');
  await services.vault.generateAndStore({ name: 'other-secret-key', options: { kind: 'secret' } });
  const before = await readFile(file, 'utf8');
  await assert.rejects(services.envcheck.fix({ file, profile: PROFILE, storePrefix: 'other-' }), (e: unknown) => {
    const err = e as { code: string; message: string };
    assert.equal(err.code, 'already-exists');
    assert.match(err.message, /^A key named other-secret-key already exists in the keychain; nothing was generated or written\./);
    assert.doesNotMatch(err.message, /--/, 'the service speaks of what to do, not of a CLI flag');
    return true;
  });
  assert.equal(await readFile(file, 'utf8'), before);
  assert.deepEqual(await readdir(dir), ['.env', 'home']);
  assert.deepEqual(
    (await services.vault.list()).map((k) => [k.name, k.versions.length]),
    [['other-secret-key', 1]],
    'the other key keeps its only version: nothing moved it to retiring',
  );

  const added = await services.envcheck.fix({ file, profile: PROFILE, storePrefix: 'other-', addVersion: true });
  assert.deepEqual(
    added.stored.map((s) => [s.name, s.version]),
    [
      ['other-secret-key', 2],
      ['other-jwt-secret-key', 1],
    ],
  );
});

test('only files named like .env files are ever written', async () => {
  const { dir, services } = await setup('A=1\n');
  const passwd = join(dir, 'passwd');
  await writeFile(passwd, 'ROOT=x\n');
  await assert.rejects(services.envcheck.fix({ file: passwd, profile: PROFILE }), { code: 'refused' });
  assert.equal(await readFile(passwd, 'utf8'), 'ROOT=x\n');
  const created = await services.envcheck.fix({ file: join(dir, 'prod.env'), profile: PROFILE });
  assert.equal(created.created, true);
});
