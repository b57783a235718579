// Re-encryption on SQLite files (libsql), judged by Python's cryptography; the application writes through Python's
// own sqlite3 module, so the file is shared between two SQLite builds as it would be in production.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KeyturnError } from '../../../../shared/domain/errors.js';
import { FileJobContext } from '../../../../test/support/file-job-context.js';
import { pythonEncrypt, pythonJudge, pythonKey } from '../../../../test/support/fernet-oracle.js';
import { killAndResume } from '../../../../test/support/kill-and-resume.js';
import { requirePythonCryptography, runPython } from '../../../../test/support/python.js';
import { assertRotated, countKinds, seedUsers, sqliteClient, type SqlClient } from '../../../../test/support/reencrypt-fixture.js';
import { runJob, storeFor, labelled } from '../../../../test/support/reencrypt-harness.js';
import type { PiiStore } from '../pii-store.js';
import { scanTokens } from './column-census.js';
import type { ReencryptCheckpoint } from './reencrypt-types.js';

let dir: string;
let file: string;
let db: SqlClient;
let url: string;
const keys = { old: '', new: '', stranger: '' };

before(async () => {
  requirePythonCryptography();
  dir = mkdtempSync(join(tmpdir(), 'keyturn-sqlite-'));
  file = join(dir, 'app.db');
  db = await sqliteClient(file);
  await db.exec('PRAGMA journal_mode = WAL');
  // SQLAlchemy's four-slash form: an absolute path.
  url = `sqlite:///${file}`;
  [keys.old, keys.new, keys.stranger] = await Promise.all([pythonKey(), pythonKey(), pythonKey()]);
});

after(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function expectError(work: Promise<unknown>, code: string): Promise<KeyturnError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof KeyturnError, `expected a KeyturnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

test('Python-written tokens in TEXT and BLOB columns end up under the new key alone; NULLs, empty values, new tokens and poison untouched', async () => {
  const seeded = await seedUsers(db, 'users', 500, keys);
  const { result } = await runJob({ url, keys, params: { table: 'users', columns: ['email', 'ssn'], batchSize: 64 } });
  await assertRotated(db, 'users', seeded, keys);
  for (const column of ['email', 'ssn'] as const) {
    const kinds = countKinds(seeded, column);
    const counts = result.tables[0]!.columns[column]!;
    assert.deepEqual(
      [counts.rotated, counts.current, counts.nulls, counts.empty, counts.poison],
      [kinds.old, kinds.new, kinds.null, kinds.empty, kinds.poison],
    );
  }
  const store = await storeFor(url);
  try {
    const scan = await scanTokens(store, {}, { keys: labelled(keys) });
    assert.deepEqual(
      scan.map((t) => [t.table, t.columns.map((c) => [c.column, c.counts.rotated])]),
      [
        [
          'users',
          [
            ['email', 0],
            ['ssn', 0],
          ],
        ],
      ],
    );
  } finally {
    await store.close();
  }
});

test('composite text keys, a rowid table refused unless --pk names a unique column, a missing file, table or column', async () => {
  await db.exec('CREATE TABLE pii_store (owner TEXT NOT NULL, field TEXT NOT NULL, value BLOB, PRIMARY KEY (owner, field)) WITHOUT ROWID');
  const pairs = Array.from({ length: 40 }, (_, i) => [`o${(i * 13) % 17}-${i}`, i % 2 ? 'email' : 'Email'] as const);
  const tokens = await pythonEncrypt(
    keys.old,
    pairs.map(([o, f]) => ({ plaintext: Buffer.from(`${f}:${o}`), at: 1_700_000_000 })),
  );
  for (const [i, [o, f]] of pairs.entries()) await db.exec('INSERT INTO pii_store VALUES (?, ?, ?)', [o, f, Buffer.from(tokens[i]!)]);
  const { result } = await runJob({ url, keys, params: { table: 'pii_store', columns: ['value'], batchSize: 3 } });
  assert.equal(result.tables[0]!.columns.value!.rotated, pairs.length);
  const rows = await db.rows(`SELECT value, field || ':' || owner FROM pii_store`);
  const judged = await pythonJudge(
    keys.new,
    keys.old,
    rows.map((r) => (r[0] as Buffer).toString('latin1')),
  );
  rows.forEach((r, j) => assert.equal(Buffer.from(judged[j]!.underNew!, 'base64').toString(), r[1]));

  await db.exec('CREATE TABLE legacy (email_hash TEXT NOT NULL UNIQUE, email TEXT)');
  await db.exec('INSERT INTO legacy VALUES (?, ?)', ['h1', tokens[0]]);
  assert.match(
    (await expectError(runJob({ url, keys, params: { table: 'legacy', columns: ['email'] } }), 'db-no-key')).message,
    /no primary key.*email_hash/,
  );
  assert.equal(
    (await runJob({ url, keys, params: { table: 'legacy', columns: ['email'], pk: ['email_hash'] } })).result.tables[0]!.written,
    1,
  );
  await expectError(
    runJob({ url: `sqlite:///${join(dir, 'typo.db')}`, keys, params: { table: 'users', columns: ['email'] } }),
    'not-found',
  );
  await expectError(runJob({ url, keys, params: { table: 'nope', columns: ['email'] } }), 'not-found');
  await expectError(runJob({ url, keys, params: { table: 'users', columns: ['phone'] } }), 'not-found');
});

test('a concurrent writer (Python sqlite3 on the same file) keeps its writes', async () => {
  const seeded = await seedUsers(db, 'busy', 200, keys);
  const targets = seeded.filter((r) => r.email.kind === 'old').filter((_, i) => i % 5 === 0);
  const fresh = await pythonEncrypt(
    keys.new,
    targets.map((r) => ({ plaintext: Buffer.from(`app-${r.id}`), at: 1_750_000_000 })),
  );
  const stale = await pythonEncrypt(
    keys.old,
    targets.map((r) => ({ plaintext: Buffer.from(`app-${r.id}`), at: 1_750_000_000 })),
  );
  const byId = new Map(targets.map((r, i) => [r.id, i % 2 ? fresh[i]! : stale[i]!]));
  const wrap = (store: PiiStore): PiiStore => ({
    ...store,
    async writeBatch(query, updates, retry) {
      const writes = updates.filter((u) => byId.has(Number(u.key[0]))).map((u) => [byId.get(Number(u.key[0])), Number(u.key[0])]);
      if (writes.length > 0)
        await runPython({
          script: `import sqlite3\nc = sqlite3.connect(data['file'], timeout=30)\nc.executemany('UPDATE busy SET email = ? WHERE id = ?', data['writes'])\nc.commit()\nemit(True)`,
          input: { file, writes },
        });
      return store.writeBatch(query, updates, retry);
    },
  });
  const { result } = await runJob({ url, keys, params: { table: 'busy', columns: ['email', 'ssn'], batchSize: 25 }, wrapStore: wrap });
  assert.equal(result.tables[0]!.conflicts, targets.length);
  const rows = await db.rows('SELECT id, email FROM busy ORDER BY id');
  const judged = await pythonJudge(
    keys.new,
    keys.old,
    rows.map((r) => r[1] as string | null),
  );
  rows.forEach((row, j) => {
    if (byId.has(Number(row[0]))) assert.equal(Buffer.from(judged[j]!.underNew!, 'base64').toString(), `app-${row[0]}`);
  });
});

test('kill -9 at random points, then resume: every row opens under the new key alone, none encrypted twice', async () => {
  const seeded = await seedUsers(db, 'killed', 800, keys);
  const report = await killAndResume({ url, keys, params: { table: 'killed', columns: ['email', 'ssn'], batchSize: 30 }, kills: 3 });
  assert.equal(report.kills, 3, `seed ${report.seed}`);
  await assertRotated(db, 'killed', seeded, keys);
  assert.equal((await FileJobContext.read<unknown, ReencryptCheckpoint>(report.dir)).checkpoint!.tables[0]!.rows, 800);
});
