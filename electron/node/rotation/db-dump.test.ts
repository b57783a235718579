// The backup step against a real, throwaway PostgreSQL 15 on loopback: pg_dump gets the URL's parts through its
// environment, the dump is checked with pg_restore, a backup is never overwritten, and failures never echo the password.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dumpDatabase } from './db-dump.js';

const BIN = '/usr/lib/postgresql/15/bin';
const PASSWORD = 'canary-pg-password-7f3a9c';
const dir = mkdtempSync(join(tmpdir(), 'keyturn-pgdump-'));
let port = 0;
// initdb refuses to run as root: run the server as the postgres user then.
const asUser = (args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0]!, args.slice(1)];
const run = (args: string[]) => {
  const [cmd, rest] = asUser(args);
  return execFileSync(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

before(async () => {
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
  writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`, { mode: 0o644 });
  run([`${BIN}/initdb`, '-D', join(dir, 'data'), '-A', 'scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-U', 'keyturn']);
  port = await freePort();
  run([
    `${BIN}/pg_ctl`,
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  const [cmd, rest] = asUser([
    `${BIN}/psql`,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'keyturn',
    '-d',
    'postgres',
    '-c',
    'CREATE TABLE pii_store (id int primary key, email_enc text); INSERT INTO pii_store VALUES (1, $$gAAAAAB$$);',
  ]);
  execFileSync(cmd, rest, { env: { ...process.env, PGPASSWORD: PASSWORD }, stdio: 'ignore' });
});

after(() => {
  try {
    run([`${BIN}/pg_ctl`, '-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function envFile(password: string): string {
  const file = join(dir, `app-${password.length}.env`);
  writeFileSync(file, `DATABASE_URL=postgresql+asyncpg://keyturn:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres\n`, {
    mode: 0o600,
  });
  return file;
}

test('pg_dump writes a custom-format dump that pg_restore reads; a second run never overwrites it', async () => {
  const file = join(dir, 'backups', 'db.dump');
  const action = { op: 'backup-db' as const, engine: 'postgresql' as const, urlVar: 'DATABASE_URL', envFile: envFile(PASSWORD), file };
  const summary = await dumpDatabase(action, { env: { PATH: `${BIN}:${process.env.PATH}` } });
  assert.match(summary, /^Dumped the database in DATABASE_URL to .*db\.dump \(\d+ bytes\); the dump reads back\.$/);
  assert.ok(statSync(file).size > 0);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(execFileSync(`${BIN}/pg_restore`, ['--list', file]).toString(), /TABLE DATA public pii_store/);
  const before = statSync(file).mtimeMs;
  await assert.rejects(dumpDatabase(action, { env: { PATH: `${BIN}:${process.env.PATH}` } }), { code: 'already-exists' });
  assert.equal(statSync(file).mtimeMs, before);
});

test('a wrong password fails with a coded sentence that never quotes it, and leaves no file behind', async () => {
  const wrong = 'canary-wrong-password-b81e';
  const file = join(dir, 'backups', 'wrong.dump');
  const action = { op: 'backup-db' as const, engine: 'postgresql' as const, urlVar: 'DATABASE_URL', envFile: envFile(wrong), file };
  await assert.rejects(dumpDatabase(action, { env: { PATH: `${BIN}:${process.env.PATH}` } }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'check-failed');
    assert.match(e.message, /^pg_dump failed: .*password authentication failed.*Nothing was backed up\.$/);
    assert.ok(!e.message.includes(wrong) && !e.message.includes(PASSWORD));
    return true;
  });
  assert.equal(existsSync(file), false);
});

test('a URL that is not one, or a missing variable, is refused before any tool runs', async () => {
  const file = join(dir, 'bad.env');
  writeFileSync(file, 'DATABASE_URL=not a url at all\n');
  const action = {
    op: 'backup-db' as const,
    engine: 'postgresql' as const,
    urlVar: 'DATABASE_URL',
    envFile: file,
    file: join(dir, 'x.dump'),
  };
  await assert.rejects(dumpDatabase(action), { code: 'invalid-input' });
  await assert.rejects(dumpDatabase({ ...action, envFile: undefined } as never, { env: {} }), { code: 'invalid-input' });
  assert.equal(existsSync(join(dir, 'x.dump')), false);
});
