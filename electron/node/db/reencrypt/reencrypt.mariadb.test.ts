// Re-encryption on a real MariaDB (one throwaway server for the file), judged by Python's cryptography. The docscan
// guide's MySQL spelling (mysql+pymysql://) is what the job is given.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyturnError } from '../../../../shared/domain/errors.js';
import { FileJobContext } from '../../../../test/support/file-job-context.js';
import { pythonEncrypt, pythonJudge, pythonKey } from '../../../../test/support/fernet-oracle.js';
import { killAndResume } from '../../../../test/support/kill-and-resume.js';
import { startMariadb, type MariadbServer } from '../../../../test/support/mariadb-server.js';
import { requirePythonCryptography } from '../../../../test/support/python.js';
import { assertRotated, countKinds, mysqlClient, seedUsers, type SqlClient } from '../../../../test/support/reencrypt-fixture.js';
import { jobDir, outputOf, runJob } from '../../../../test/support/reencrypt-harness.js';
import type { PiiStore } from '../pii-store.js';
import type { ReencryptCheckpoint } from './reencrypt-types.js';

let server: MariadbServer;
let db: SqlClient;
let url: string;
const keys = { old: '', new: '', stranger: '' };

before(async () => {
  requirePythonCryptography();
  server = await startMariadb();
  const admin = await mysqlClient(server.url());
  await admin.exec('CREATE DATABASE docscan_db');
  await admin.close();
  url = server.url({ database: 'docscan_db', scheme: 'mysql+pymysql' });
  db = await mysqlClient(server.url({ database: 'docscan_db' }));
  [keys.old, keys.new, keys.stranger] = await Promise.all([pythonKey(), pythonKey(), pythonKey()]);
});

after(async () => {
  await db?.close();
  await server?.stop();
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
  const { result, ctx } = await runJob({ url, keys, params: { table: 'users', columns: ['email', 'ssn'], batchSize: 64 } });
  await assertRotated(db, 'users', seeded, keys);
  const table = result.tables[0]!;
  for (const column of ['email', 'ssn'] as const) {
    const kinds = countKinds(seeded, column);
    const counts = table.columns[column]!;
    assert.deepEqual(
      [counts.rotated, counts.current, counts.nulls, counts.empty, counts.poison],
      [kinds.old, kinds.new, kinds.null, kinds.empty, kinds.poison],
    );
  }
  const poison = seeded.filter((r) => r.email.kind === 'poison' || r.ssn.kind === 'poison').map((r) => r.id);
  assert.deepEqual(
    ((await outputOf(ctx)) as { key: { n: number }[] }[]).map((r) => r.key[0]!.n),
    poison,
  );
});

test('composite and non-integer keys, a table without a primary key refused unless --pk names a unique column', async () => {
  await db.exec('CREATE TABLE pii_store (owner CHAR(36), field VARCHAR(40), value TEXT, PRIMARY KEY (owner, field))');
  const owners = Array.from({ length: 30 }, (_, i) => `owner-${String((i * 7919) % 1000).padStart(4, '0')}-${i}`);
  const fields = ['email', 'Phone', 'zip'];
  const plain = owners.flatMap((o) => fields.map((f) => `${f} of ${o}`));
  const tokens = await pythonEncrypt(
    keys.old,
    plain.map((p) => ({ plaintext: Buffer.from(p), at: 1_700_000_000 })),
  );
  let i = 0;
  for (const o of owners) for (const f of fields) await db.exec('INSERT INTO pii_store VALUES (?, ?, ?)', [o, f, tokens[i++]]);
  const { result } = await runJob({ url, keys, params: { table: 'pii_store', columns: ['value'], batchSize: 5 } });
  assert.equal(result.tables[0]!.columns.value!.rotated, plain.length);
  const rows = await db.rows(`SELECT value, CONCAT(field, ' of ', owner) FROM pii_store`);
  const judged = await pythonJudge(
    keys.new,
    keys.old,
    rows.map((r) => r[0] as string),
  );
  rows.forEach((r, j) => assert.equal(Buffer.from(judged[j]!.underNew!, 'base64').toString(), r[1]));

  await db.exec('CREATE TABLE legacy (email_hash VARCHAR(64) NOT NULL UNIQUE, email TEXT)');
  await db.exec('INSERT INTO legacy VALUES (?, ?)', ['h1', tokens[0]]);
  assert.match(
    (await expectError(runJob({ url, keys, params: { table: 'legacy', columns: ['email'] } }), 'db-no-key')).message,
    /no primary key.*email_hash/,
  );
  assert.equal(
    (await runJob({ url, keys, params: { table: 'legacy', columns: ['email'], pk: ['email_hash'] } })).result.tables[0]!.written,
    1,
  );
});

test('a concurrent writer keeps its writes', async () => {
  const seeded = await seedUsers(db, 'busy', 200, keys);
  const app = await mysqlClient(server.url({ database: 'docscan_db' }));
  const targets = seeded.filter((r) => r.email.kind === 'old').filter((_, i) => i % 7 === 0);
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
      for (const u of updates)
        if (byId.has(Number(u.key[0]))) await app.exec('UPDATE busy SET email = ? WHERE id = ?', [byId.get(Number(u.key[0])), u.key[0]]);
      return store.writeBatch(query, updates, retry);
    },
  });
  const { result } = await runJob({ url, keys, params: { table: 'busy', columns: ['email', 'ssn'], batchSize: 32 }, wrapStore: wrap });
  await app.close();
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

test('--schema tenant_% covers every matching database, with counts per database', async () => {
  for (const [schema, n] of [
    ['tenant_a', 3],
    ['tenant_b', 6],
  ] as const) {
    await db.exec(`CREATE DATABASE ${schema}`);
    await db.exec(`CREATE TABLE ${schema}.users (id BIGINT PRIMARY KEY, email TEXT)`);
    const tokens = await pythonEncrypt(
      keys.old,
      Array.from({ length: n }, (_, i) => ({ plaintext: Buffer.from(`${schema}${i}`), at: 1_690_000_000 })),
    );
    for (const [i, t] of tokens.entries()) await db.exec(`INSERT INTO ${schema}.users VALUES (?, ?)`, [i + 1, t]);
  }
  const { result } = await runJob({ url, keys, params: { table: 'users', columns: ['email'], schema: 'tenant_%', batchSize: 2 } });
  assert.deepEqual(
    result.tables.map((t) => [t.schema, t.columns.email!.rotated]),
    [
      ['tenant_a', 3],
      ['tenant_b', 6],
    ],
  );
});

test('a wrong password, a missing table or column, and a read-only user each fail with a coded sentence and change nothing', async () => {
  await seedUsers(db, 'guarded', 60, keys);
  const snapshot = await db.rows('SELECT * FROM guarded ORDER BY id');
  const columns = ['email', 'ssn'];
  const wrong = 'Wr0ng-pa55word-canary';
  const auth = await expectError(
    runJob({ url: server.url({ database: 'docscan_db', password: wrong }), keys, params: { table: 'guarded', columns } }),
    'db-auth',
  );
  assert.ok(!auth.message.includes(wrong) && !auth.message.includes(server.password));
  await expectError(runJob({ url, keys, params: { table: 'nope', columns } }), 'not-found');
  await expectError(runJob({ url, keys, params: { table: 'guarded', columns: ['email', 'phone'] } }), 'not-found');
  await db.exec(`CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY 'reader-pw'`);
  await db.exec(`GRANT SELECT ON docscan_db.* TO 'reader'@'127.0.0.1'`);
  await expectError(
    runJob({
      url: server.url({ database: 'docscan_db', user: 'reader', password: 'reader-pw' }),
      keys,
      params: { table: 'guarded', columns },
    }),
    'db-permission',
  );
  assert.deepEqual(await db.rows('SELECT * FROM guarded ORDER BY id'), snapshot);
});

test('a connection killed in the middle of a batch rolls that batch back whole; resume finishes the job', async () => {
  const seeded = await seedUsers(db, 'dropped', 200, keys);
  const batch = 40;
  const victim = seeded.find((r) => r.id > 2 * batch && r.email.kind === 'old')!;
  const app = await mysqlClient(server.url({ database: 'docscan_db' }));
  await app.exec('START TRANSACTION');
  await app.rows('SELECT id FROM dropped WHERE id = ? FOR UPDATE', [victim.id]);
  const admin = await mysqlClient(server.url());
  const killer = (async () => {
    for (let i = 0; i < 400; i += 1) {
      // Keyturn's UPDATE of the dropped table while it waits for the application's row lock: one running for more
      // than half a second (an earlier batch's UPDATE takes milliseconds, and seen running it would be killed too soon).
      const waiting = await admin.rows(
        `SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' AND TIME_MS > 500 AND INFO LIKE 'UPDATE %dropped%AS t JOIN%'`,
      );
      if (waiting.length > 0) {
        await admin.exec(`KILL CONNECTION ${Number(waiting[0]![0])}`);
        return true;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  })();
  const dir = jobDir();
  await expectError(
    runJob({ url, keys, params: { table: 'dropped', columns: ['email', 'ssn'], batchSize: batch }, dir }),
    'db-connection-lost',
  );
  assert.equal(await killer, true);
  await app.exec('ROLLBACK');
  await app.close();
  await admin.close();
  const rows = await db.rows('SELECT id, email FROM dropped WHERE id > ? ORDER BY id', [2 * batch]);
  rows.forEach((row) => assert.equal(row[1], seeded[Number(row[0]) - 1]!.email.stored, `row ${row[0]} untouched`));
  assert.deepEqual((await FileJobContext.read<unknown, ReencryptCheckpoint>(dir)).checkpoint!.after, [{ n: 2 * batch }]);
  const resumed = await runJob({ url, keys, params: { table: 'dropped', columns: ['email', 'ssn'], batchSize: batch }, dir });
  assert.equal(resumed.result.tables[0]!.rows, 200);
  await assertRotated(db, 'dropped', seeded, keys);
});

test('kill -9 at random points, then resume: every row opens under the new key alone, none encrypted twice', async () => {
  const seeded = await seedUsers(db, 'killed', 800, keys);
  const report = await killAndResume({ url, keys, params: { table: 'killed', columns: ['email', 'ssn'], batchSize: 30 }, kills: 3 });
  assert.equal(report.kills, 3, `seed ${report.seed}`);
  await assertRotated(db, 'killed', seeded, keys);
  const state = await FileJobContext.read<unknown, ReencryptCheckpoint>(report.dir);
  assert.equal(state.checkpoint!.tables[0]!.rows, 800);
});
