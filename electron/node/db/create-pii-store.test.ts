import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { resolveDatabase } from './create-pii-store.js';

const PASSWORD = 'pa55-Canary-in-the-url';

async function refusal(work: Promise<unknown>): Promise<KeyturnError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof KeyturnError);
    assert.ok(!error.message.includes(PASSWORD), error.message);
    return error;
  }
  assert.fail('expected a refusal');
}

test('the URL comes from an environment variable or a .env file, relative paths resolve against that file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-dburl-'));
  try {
    const env = { DATABASE_URL: `postgresql+asyncpg://app:${PASSWORD}@db:5432/resumerag` };
    const fromEnv = await resolveDatabase({ dbEnv: 'DATABASE_URL' }, env, '/somewhere');
    assert.equal(fromEnv.target.password, PASSWORD);
    assert.equal(fromEnv.baseDir, '/somewhere');
    writeFileSync(join(dir, '.env'), `# infra/.env\nSECRET_KEY=x\nDATABASE_URL="sqlite:///data/app.db"\n`);
    const fromFile = await resolveDatabase({ dbEnv: 'DATABASE_URL', envFile: '.env' }, {}, dir);
    assert.equal(fromFile.target.path, 'data/app.db');
    assert.equal(fromFile.baseDir, dir);
    assert.equal((await refusal(resolveDatabase({ dbEnv: 'OTHER_URL', envFile: '.env' }, {}, dir))).code, 'not-found');
    assert.equal((await refusal(resolveDatabase({ dbEnv: 'DATABASE_URL', envFile: 'missing.env' }, {}, dir))).code, 'unreadable-input');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a URL passed where a variable name belongs is refused without being echoed; so are unset and malformed values', async () => {
  assert.equal((await refusal(resolveDatabase({ dbEnv: `postgresql://u:${PASSWORD}@h/d` }, {}))).code, 'invalid-input');
  assert.equal((await refusal(resolveDatabase({ dbEnv: 'DATABASE_URL' }, {}))).code, 'not-found');
  const bad = await refusal(resolveDatabase({ dbEnv: 'DATABASE_URL' }, { DATABASE_URL: `redis://u:${PASSWORD}@h/0` }));
  assert.match(bad.message, /^DATABASE_URL: /);
});

test('no database driver is loaded until a store is opened', () => {
  const repo = resolve(import.meta.dirname, '..', '..', '..');
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const script = `
    await import('./electron/node/db/create-pii-store.ts');
    await import('./electron/node/db/reencrypt/reencrypt-runner.ts');
    await import('./electron/node/db/reencrypt/column-census.ts');
    const { createRequire } = await import('node:module');
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/(pg|mysql2|libsql|@libsql)\\//.test(p));
    console.log(JSON.stringify(loaded));`;
  const run = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()!), []);
  // And the check can fail: opening a SQLite store does load its driver.
  const opened = spawnSync(
    process.execPath,
    [
      '--import',
      tsx,
      '--input-type=module',
      '-e',
      `${script.split('const { createRequire }')[0]}
      const { openPiiStore } = await import('./electron/node/db/create-pii-store.ts');
      const store = await openPiiStore({ target: { dialect: 'sqlite', path: ':memory:', tls: { mode: 'disable' }, ignored: [] }, baseDir: '.' });
      await store.close();
      const { createRequire } = await import('node:module');
      console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/libsql\\//.test(p)).length));`,
    ],
    { cwd: repo, encoding: 'utf8' },
  );
  assert.equal(opened.status, 0, opened.stderr);
  assert.ok(Number(opened.stdout.trim().split('\n').pop()) > 0);
});
