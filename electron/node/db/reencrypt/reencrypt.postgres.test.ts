// Re-encryption on a real PostgreSQL 15 (one throwaway server for the file), judged by Python's cryptography.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KeyturnError } from '../../../../shared/domain/errors.js';
import { pythonEncrypt, pythonJudge, pythonKey } from '../../../../test/support/fernet-oracle.js';
import { startPostgres, type PostgresServer } from '../../../../test/support/postgres-server.js';
import { requirePythonCryptography } from '../../../../test/support/python.js';
import { assertRotated, countKinds, pgClient, seedUsers, type SqlClient } from '../../../../test/support/reencrypt-fixture.js';
import { jobDir, labelled, outputOf, runJob, storeFor } from '../../../../test/support/reencrypt-harness.js';
import { FileJobContext } from '../../../../test/support/file-job-context.js';
import { killAndResume } from '../../../../test/support/kill-and-resume.js';
import { filesHoldingSecrets } from '../../../../test/support/secret-scan.js';
import type { ReencryptCheckpoint } from './reencrypt-types.js';
import type { PiiStore } from '../pii-store.js';
import { allUnderNewKey, scanTokens, verifyTokens } from './column-census.js';

let server: PostgresServer;
let db: SqlClient;
let url: string;
const keys = { old: '', new: '', stranger: '' };

before(async () => {
  requirePythonCryptography();
  server = await startPostgres();
  const admin = await pgClient(server.url());
  await admin.exec('CREATE DATABASE resumerag');
  await admin.close();
  // The guides' spelling: SQLAlchemy's asyncpg URL.
  url = server.url({ database: 'resumerag', scheme: 'postgresql+asyncpg', query: 'sslmode=prefer' });
  db = await pgClient(server.url({ database: 'resumerag' }));
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

test('Python-written tokens in text and bytea columns end up under the new key alone, same plaintext and timestamp; NULLs, empty values, new tokens and poison untouched', async () => {
  const seeded = await seedUsers(db, 'users', 700, keys);
  const { result, ctx } = await runJob({ url, keys, params: { table: 'users', columns: ['email', 'ssn'], batchSize: 64 } });
  await assertRotated(db, 'users', seeded, keys);
  const table = result.tables[0]!;
  assert.equal(result.finished, true);
  assert.equal(table.rows, 700);
  for (const column of ['email', 'ssn'] as const) {
    const kinds = countKinds(seeded, column);
    const counts = table.columns[column]!;
    assert.deepEqual(
      { rotated: counts.rotated, current: counts.current, nulls: counts.nulls, empty: counts.empty, poison: counts.poison },
      { rotated: kinds.old, current: kinds.new, nulls: kinds.null, empty: kinds.empty, poison: kinds.poison },
    );
    assert.deepEqual(counts.byKey, { 'pii-enc-key@v1': kinds.old });
  }
  // Poison rows are reported by key, with the columns no key opens, and nothing else.
  const poison = seeded.filter((r) => r.email.kind === 'poison' || r.ssn.kind === 'poison');
  const reports = (await outputOf(ctx)) as { type: string; key: { s: string }[]; columns: string[] }[];
  assert.deepEqual(
    reports.map((r) => [r.type, Number(r.key[0]!.s), r.columns]),
    poison.map((r) => ['poison', r.id, [...(r.email.kind === 'poison' ? ['email'] : []), ...(r.ssn.kind === 'poison' ? ['ssn'] : [])]]),
  );
  assert.equal(table.poisonRows, poison.length);
  // The job folder (checkpoint, output) holds neither key nor the database password.
  assert.deepEqual(filesHoldingSecrets(ctx.dir, [keys.old, keys.new, server.password]), []);

  // Re-running the finished job does nothing, and does not even connect (a bad URL would fail).
  const again = await runJob({
    url: 'postgresql://nobody:x@127.0.0.1:1/none',
    keys,
    params: { table: 'users', columns: ['email', 'ssn'] },
    dir: ctx.dir,
  });
  assert.deepEqual(again.result, result);

  // A fresh job over the finished table writes no row: PostgreSQL's xmin (the writing transaction) stays the same.
  const before = await db.rows('SELECT id, xmin::text FROM users ORDER BY id');
  const fresh = await runJob({ url, keys, params: { table: 'users', columns: ['email', 'ssn'], batchSize: 100 } });
  assert.equal(fresh.result.tables[0]!.written, 0);
  assert.equal(fresh.result.tables[0]!.columns.email!.rotated, 0);
  assert.deepEqual(await db.rows('SELECT id, xmin::text FROM users ORDER BY id'), before);

  // verify: the new key alone opens every token; the rest (poison) listed by key.
  const store = await storeFor(url);
  try {
    const census = await verifyTokens(store, { table: 'users', columns: ['email', 'ssn'] }, { keys: labelled(keys) });
    const email = census[0]!.columns[0]!;
    assert.equal(email.counts.current, countKinds(seeded, 'email').old + countKinds(seeded, 'email').new);
    assert.equal(email.counts.rotated, 0);
    assert.deepEqual(
      email.others.map((o) => [Number((o.key[0] as { s: string }).s), o.opener]),
      seeded.filter((r) => r.email.kind === 'poison').map((r) => [r.id, 'poison']),
    );
    assert.equal(allUnderNewKey(census), false, 'poison rows block "every row verified"');
  } finally {
    await store.close();
  }
});

test('dry run counts what would change and touches nothing; scan finds the token columns and counts per key version', async () => {
  const seeded = await seedUsers(db, 'dry_users', 300, keys);
  const before = await db.rows('SELECT id, xmin::text, email, ssn FROM dry_users ORDER BY id');
  const { result } = await runJob({ url, keys, params: { table: 'dry_users', columns: ['email', 'ssn'], dryRun: true, batchSize: 50 } });
  assert.deepEqual(await db.rows('SELECT id, xmin::text, email, ssn FROM dry_users ORDER BY id'), before);
  assert.equal(result.dryRun, true);
  assert.equal(result.tables[0]!.written, 0);
  assert.equal(result.tables[0]!.columns.email!.rotated, countKinds(seeded, 'email').old);

  const store = await storeFor(url);
  try {
    const scan = await scanTokens(store, { table: 'dry_users' }, { keys: labelled(keys) });
    assert.deepEqual(
      scan.map((t) => [t.table, t.columns.map((c) => c.column)]),
      [['dry_users', ['email', 'ssn']]],
      'the note column holds no tokens',
    );
    const ssn = scan[0]!.columns[1]!.counts;
    const kinds = countKinds(seeded, 'ssn');
    assert.deepEqual(ssn.byKey, { 'pii-enc-key@v2': kinds.new, 'pii-enc-key@v1': kinds.old });
    assert.equal(ssn.nulls, kinds.null);
    assert.equal(ssn.poison, kinds.poison);
  } finally {
    await store.close();
  }
});

test('composite and non-integer primary keys (uuid, text) page correctly', async () => {
  await db.exec('CREATE TABLE pii_store (owner uuid, field varchar(40), value text, PRIMARY KEY (owner, field))');
  const owners = Array.from(
    { length: 60 },
    (_, i) => `${((i * 2654435761) % 0xffffffff).toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
  );
  const fields = ['email', 'phone', 'Address', 'zip'];
  const plain = owners.flatMap((o) => fields.map((f) => `${f} of ${o}`));
  const tokens = await pythonEncrypt(
    keys.old,
    plain.map((p, i) => ({ plaintext: Buffer.from(p), at: 1_700_000_000 + i })),
  );
  let i = 0;
  for (const o of owners) for (const f of fields) await db.exec('INSERT INTO pii_store VALUES (?, ?, ?)', [o, f, tokens[i++]]);
  const { result } = await runJob({ url, keys, params: { table: 'pii_store', columns: ['value'], batchSize: 7 } });
  assert.equal(result.tables[0]!.rows, plain.length);
  assert.deepEqual(result.key, ['owner', 'field']);
  const rows = await db.rows(`SELECT value, field || ' of ' || owner::text FROM pii_store`);
  const judged = await pythonJudge(
    keys.new,
    keys.old,
    rows.map((r) => r[0] as string),
  );
  rows.forEach((r, j) => assert.equal(Buffer.from(judged[j]!.underNew!, 'base64').toString(), r[1]));
});

test('a table without a primary key is refused with a sentence, unless --pk names a NOT NULL unique column', async () => {
  await db.exec('CREATE TABLE legacy (email_hash text NOT NULL UNIQUE, email text, extra text)');
  const tokens = await pythonEncrypt(
    keys.old,
    [1, 2, 3].map((n) => ({ plaintext: Buffer.from(`l${n}`), at: 1_650_000_000 })),
  );
  for (const [n, t] of tokens.entries()) await db.exec('INSERT INTO legacy VALUES (?, ?, ?)', [`h${n}`, t, `x${n}`]);
  const refusal = await expectError(runJob({ url, keys, params: { table: 'legacy', columns: ['email'] } }), 'db-no-key');
  assert.match(refusal.message, /has no primary key.*--pk.*email_hash/);
  await expectError(runJob({ url, keys, params: { table: 'legacy', columns: ['email'], pk: ['extra'] } }), 'db-no-key');
  const { result } = await runJob({ url, keys, params: { table: 'legacy', columns: ['email'], pk: ['email_hash'], batchSize: 2 } });
  assert.equal(result.tables[0]!.columns.email!.rotated, 3);
});

test('a concurrent writer keeps its writes: rows changed between read and write are retried once and counted', async () => {
  const seeded = await seedUsers(db, 'busy_users', 400, keys);
  const app = await pgClient(server.url({ database: 'resumerag' }));
  const olds = seeded.filter((r) => r.email.kind === 'old');
  // The application (MultiFernet [new, old] after the deploy; some writers still on the old key) rewrites rows of
  // every batch after Keyturn read them and before it writes them.
  const targets = olds.filter((_, i) => i % 9 === 0);
  const fresh = await pythonEncrypt(
    keys.new,
    targets.map((r) => ({ plaintext: Buffer.from(`new-${r.id}@example.com`), at: 1_750_000_000 })),
  );
  const stale = await pythonEncrypt(
    keys.old,
    targets.map((r) => ({ plaintext: Buffer.from(`new-${r.id}@example.com`), at: 1_750_000_001 })),
  );
  const byId = new Map(targets.map((r, i) => [r.id, i % 2 === 0 ? fresh[i]! : stale[i]!]));
  const wrap = (store: PiiStore): PiiStore => ({
    ...store,
    async writeBatch(query, updates, retry) {
      for (const u of updates) {
        const token = byId.get(Number(u.key[0]));
        if (token) await app.exec('UPDATE busy_users SET email = ? WHERE id = ?', [token, Number(u.key[0])]);
      }
      return store.writeBatch(query, updates, retry);
    },
  });
  const { result } = await runJob({
    url,
    keys,
    params: { table: 'busy_users', columns: ['email', 'ssn'], batchSize: 50 },
    wrapStore: wrap,
  });
  await app.close();
  assert.equal(result.tables[0]!.conflicts, targets.length);
  const rows = await db.rows('SELECT id, email FROM busy_users ORDER BY id');
  const judged = await pythonJudge(
    keys.new,
    keys.old,
    rows.map((r) => r[1] as string | null),
  );
  rows.forEach((row, j) => {
    const id = Number(row[0]);
    if (!byId.has(id)) return;
    assert.equal(
      Buffer.from(judged[j]!.underNew!, 'base64').toString(),
      `new-${id}@example.com`,
      `row ${id} keeps the application's write`,
    );
    assert.equal(judged[j]!.underOld, false);
  });
});

test('schema-per-tenant: --schema tenant_% runs one job over every matching schema with counts per schema', async () => {
  const counts = { tenant_a: 5, tenant_b: 9, tenant_c: 0 };
  for (const [schema, n] of Object.entries(counts)) {
    await db.exec(`CREATE SCHEMA ${schema}`);
    await db.exec(`CREATE TABLE ${schema}.users (id bigint PRIMARY KEY, email text)`);
    const tokens = await pythonEncrypt(
      keys.old,
      Array.from({ length: n }, (_, i) => ({ plaintext: Buffer.from(`${schema}-${i}`), at: 1_690_000_000 })),
    );
    for (const [i, t] of tokens.entries()) await db.exec(`INSERT INTO ${schema}.users VALUES (?, ?)`, [i + 1, t]);
  }
  await db.exec('CREATE SCHEMA tenantx'); // not matched: the _ is literal, not LIKE's any-character
  await db.exec('CREATE TABLE tenantx.users (id int PRIMARY KEY, email text)');
  await db.exec('CREATE SCHEMA tenant_d'); // matched but without the table: skipped with a note
  const { result, ctx } = await runJob({ url, keys, params: { table: 'users', columns: ['email'], schema: 'tenant_%', batchSize: 4 } });
  assert.deepEqual(
    result.tables.map((t) => [t.schema, t.rows, t.columns.email!.rotated]),
    Object.entries(counts).map(([s, n]) => [s, n, n]),
  );
  assert.ok(ctx.notes.some((n) => n.includes('tenant_d')));
});

test('a wrong password, TLS the server lacks, a missing table or column, and a read-only user each fail with a coded sentence and change nothing', async () => {
  const seeded = await seedUsers(db, 'guarded', 120, keys);
  const snapshot = await db.rows('SELECT id, xmin::text, email, ssn FROM guarded ORDER BY id');
  const columns = ['email', 'ssn'];
  const wrong = 'Wr0ng-pa55word-canary';
  const auth = await expectError(
    runJob({ url: server.url({ database: 'resumerag', password: wrong }), keys, params: { table: 'guarded', columns } }),
    'db-auth',
  );
  assert.ok(!auth.message.includes(wrong) && !auth.message.includes(server.password), auth.message);
  await expectError(
    runJob({ url: server.url({ database: 'resumerag', query: 'sslmode=require' }), keys, params: { table: 'guarded', columns } }),
    'db-tls',
  );
  assert.match(
    (await expectError(runJob({ url, keys, params: { table: 'no_such_table', columns } }), 'not-found')).message,
    /no table no_such_table/,
  );
  assert.match(
    (await expectError(runJob({ url, keys, params: { table: 'guarded', columns: ['email', 'phone'] } }), 'not-found')).message,
    /no column phone/,
  );
  await db.exec(`CREATE ROLE reader LOGIN PASSWORD 'reader-pw'`);
  await db.exec('GRANT SELECT ON guarded TO reader');
  const denied = await expectError(
    runJob({
      url: server.url({ database: 'resumerag', user: 'reader', password: 'reader-pw' }),
      keys,
      params: { table: 'guarded', columns },
    }),
    'db-permission',
  );
  assert.match(denied.message, /may not update/);
  // The reader may still scan and dry-run.
  const dry = await runJob({
    url: server.url({ database: 'resumerag', user: 'reader', password: 'reader-pw' }),
    keys,
    params: { table: 'guarded', columns, dryRun: true },
  });
  assert.equal(dry.result.tables[0]!.columns.email!.rotated, countKinds(seeded, 'email').old);
  assert.deepEqual(await db.rows('SELECT id, xmin::text, email, ssn FROM guarded ORDER BY id'), snapshot);
});

test('a connection dropped in the middle of a batch rolls that batch back whole; resume finishes the job', async () => {
  const seeded = await seedUsers(db, 'dropped', 300, keys);
  const batch = 50;
  // The application holds a lock on an old row of the third batch, so Keyturn's UPDATE is mid-statement when the
  // server drops its connection (as a failover or an admin's pg_terminate_backend would).
  const victim = seeded.find((r) => r.id > 2 * batch && r.email.kind === 'old')!;
  const app = await pgClient(server.url({ database: 'resumerag' }));
  await app.exec('BEGIN');
  await app.rows('SELECT id FROM dropped WHERE id = ? FOR UPDATE', [victim.id]);
  const admin = await pgClient(server.url({ database: 'resumerag' }));
  const killer = (async () => {
    for (let i = 0; i < 400; i += 1) {
      const waiting = await admin.rows(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'keyturn-reencrypt' AND wait_event_type = 'Lock'`,
      );
      if (waiting.length > 0) {
        await admin.rows('SELECT pg_terminate_backend(?)', [waiting[0]![0]]);
        return true;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  })();
  const dir = jobDir();
  const lost = await expectError(
    runJob({ url, keys, params: { table: 'dropped', columns: ['email', 'ssn'], batchSize: batch }, dir }),
    'db-connection-lost',
  );
  assert.equal(await killer, true);
  assert.match(lost.message, /rolled back.*Resume/s);
  await app.exec('ROLLBACK');
  await app.close();
  await admin.close();
  // Batches 1 and 2 are committed and checkpointed; every row from batch 3 on is exactly as seeded.
  const rows = await db.rows('SELECT id, email FROM dropped WHERE id > ? ORDER BY id', [2 * batch]);
  rows.forEach((row) => assert.equal(row[1], seeded[Number(row[0]) - 1]!.email.stored, `row ${row[0]} untouched`));

  const state = await FileJobContext.read<unknown, { after: { s: string }[] }>(dir);
  assert.deepEqual(state.checkpoint!.after, [{ s: String(2 * batch) }]);
  const resumed = await runJob({ url, keys, params: { table: 'dropped', columns: ['email', 'ssn'], batchSize: batch }, dir });
  assert.equal(resumed.result.finished, true);
  assert.equal(resumed.result.tables[0]!.rows, 300);
  assert.equal(resumed.result.tables[0]!.columns.email!.rotated, countKinds(seeded, 'email').old);
  await assertRotated(db, 'dropped', seeded, keys);
});

test('kill -9 at random points, then resume: every row opens under the new key alone to its plaintext, none encrypted twice', async () => {
  const seeded = await seedUsers(db, 'killed', 1000, keys);
  const params = { table: 'killed', columns: ['email', 'ssn'], batchSize: 40 };
  const report = await killAndResume({ url, keys, params, kills: 4 });
  assert.equal(report.kills, 4, `seed ${report.seed}`);
  // One decryption with the new key gives the plaintext: a token encrypted twice would give a token instead.
  await assertRotated(db, 'killed', seeded, keys);
  const state = await FileJobContext.read<unknown, ReencryptCheckpoint>(report.dir);
  const table = state.checkpoint!.tables[0]!;
  assert.equal(state.checkpoint!.finished, true);
  assert.equal(table.rows, 1000, 'no row counted twice or skipped');
  const kinds = countKinds(seeded, 'email');
  // A kill between a batch's COMMIT and its checkpoint leaves that batch to be found already under the new key.
  assert.equal(table.columns.email!.rotated + table.columns.email!.current, kinds.old + kinds.new);
  assert.ok(table.columns.email!.rotated >= kinds.old - report.kills * params.batchSize);
});

test('TLS options are honoured: verify-full against the right CA connects, a wrong CA is refused, require encrypts without checking', async () => {
  const tlsServer = await startPostgres({ tls: true });
  const otherCa = join(mkdtempSync(join(tmpdir(), 'keyturn-ca-')), 'other.crt');
  spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    `${otherCa}.key`,
    '-out',
    otherCa,
  ]);
  try {
    const admin = await pgClient(tlsServer.url({ query: `sslmode=verify-full&sslrootcert=${tlsServer.caFile}` }));
    await admin.exec('CREATE TABLE users (id int PRIMARY KEY, email text)');
    const [token] = await pythonEncrypt(keys.old, [{ plaintext: Buffer.from('tls@example.com'), at: 1_700_000_000 }]);
    await admin.exec('INSERT INTO users VALUES (1, ?)', [token]);
    await admin.close();
    const params = { table: 'users', columns: ['email'] };
    // The server accepts TLS connections only (hostssl), so a job that succeeds ran encrypted.
    const verified = await runJob({
      url: tlsServer.url({ query: `sslmode=verify-full&sslrootcert=${tlsServer.caFile}` }),
      keys,
      params: { ...params, dryRun: true },
    });
    assert.equal(verified.result.tables[0]!.columns.email!.rotated, 1);
    await expectError(runJob({ url: tlsServer.url({ query: `sslmode=verify-full&sslrootcert=${otherCa}` }), keys, params }), 'db-tls');
    await expectError(runJob({ url: tlsServer.url({ query: 'sslmode=disable' }), keys, params }), 'db-auth');
    const required = await runJob({ url: tlsServer.url({ scheme: 'postgresql+asyncpg', query: 'ssl=require' }), keys, params });
    assert.equal(required.result.tables[0]!.written, 1);
  } finally {
    await tlsServer.stop();
  }
});
