// The shell snippets of the backup steps, run by bash itself: the URL splitting and decoding give the right parts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { dumpCommand } from './commands.js';
import type { DatabaseInput } from './types.js';

/** Runs the lines of a snippet before its dump command, with the URL in the environment, and prints what they set. */
function split(db: DatabaseInput, url: string, probe: string): string {
  const lines = dumpCommand(db, 'out.dump')
    .split('\n')
    .filter((l) => !/^(set -a|mysqldump|pg_dump|sqlite3|unset)/.test(l));
  const script = [...lines, probe].join('\n');
  const run = spawnSync('bash', ['-c', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DATABASE_URL: url },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

const MYSQL: DatabaseInput = { engine: 'mysql', urlVar: 'DATABASE_URL', tables: [] };
const PROBE = 'echo "$host|$port|$user|$db|$MYSQL_PWD"';

test('the MySQL split gives host, port, user, database and the URL-decoded password', () => {
  assert.equal(split(MYSQL, 'mysql+pymysql://docuser:s3cret@db.local:3307/docscan_db', PROBE), 'db.local|3307|docuser|docscan_db|s3cret');
  assert.equal(
    split(MYSQL, 'mysql://docuser:p%40ss%3Aw%25rd@127.0.0.1/docscan_db?charset=utf8mb4', PROBE),
    '127.0.0.1|3306|docuser|docscan_db|p@ss:w%rd',
  );
});

test('the PostgreSQL expansion turns a SQLAlchemy URL into one libpq reads', () => {
  const db: DatabaseInput = { engine: 'postgresql', urlVar: 'DATABASE_URL', tables: [] };
  const line = dumpCommand(db, 'out.dump');
  const arg = /"(postgresql:\$\{DATABASE_URL#\*:\})"/.exec(line)![1]!;
  assert.equal(
    split(db, 'postgresql+asyncpg://postgres:pw@localhost:5432/resumerag', `echo "${arg}"`),
    'postgresql://postgres:pw@localhost:5432/resumerag',
  );
  assert.equal(split(db, 'postgres://u@h/d', `echo "${arg}"`), 'postgresql://u@h/d');
});

test('a bare .env is sourced as ./.env (a dot command without a slash searches PATH)', () => {
  assert.match(dumpCommand({ ...MYSQL, envFile: '.env' }, 'x'), /^set -a; \. \.\/\.env; set \+a/);
  assert.match(dumpCommand({ ...MYSQL, envFile: 'infra/.env' }, 'x'), /^set -a; \. infra\/\.env; set \+a/);
});
