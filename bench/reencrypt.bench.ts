// Re-encryption throughput on real, local databases, side by side in one run: Keyturn's job (checkpoints, compare-and-set,
// verification included), the typical Python script (bench/reencrypt-typical.py) and the ceiling (the same UPDATE loop
// with the new tokens precomputed, no crypto). Targets on PostgreSQL: >= 5x Python and >= 50% of the ceiling. Then
// Keyturn's peak RSS at 100k and 1M rows (it should not grow), and MariaDB and SQLite figures.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fernet, MultiFernet, generateFernetKey } from '../electron/node/crypto/fernet.js';
import { keyId, type CellValue } from '../electron/node/db/pii-store.js';
import { startMariadb } from '../test/support/mariadb-server.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { SYSTEM_PYTHON } from '../test/support/python.js';
import { mysqlClient, pgClient, sqliteClient, TYPES, type SqlClient } from '../test/support/reencrypt-fixture.js';
import { runJob, storeFor } from '../test/support/reencrypt-harness.js';

const ROWS = Number(process.env.KEYTURN_BENCH_REENCRYPT_ROWS ?? '200000');
const RSS_ROWS = (process.env.KEYTURN_BENCH_REENCRYPT_RSS_ROWS ?? '100000,1000000').split(',').filter(Boolean).map(Number);
const BATCH = 2000;
const TARGET_VS_PYTHON = 5;
const TARGET_VS_CEILING = 0.5;
const here = import.meta.dirname;

interface Keys {
  old: string;
  new: string;
}

/** Two PII columns per row, tokens under the old key, ~150 characters each (an email and an SSN-like value). */
async function seed(db: SqlClient, table: string, rows: number, keys: Keys): Promise<void> {
  const t = TYPES[db.dialect];
  await db.exec(`CREATE TABLE ${table} (id ${db.dialect === 'sqlite' ? 'INTEGER' : 'bigint'} PRIMARY KEY, email ${t.text}, ssn ${t.text})`);
  const old = new Fernet(keys.old);
  const chunk = db.dialect === 'postgres' ? 20_000 : 2_000;
  if (db.dialect === 'sqlite') await db.exec('BEGIN');
  for (let start = 1; start <= rows; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, rows - start + 1) }, (_, i) => start + i);
    const emails = ids.map((id) => old.encrypt(Buffer.from(`person.number.${id}@example.com`)));
    const ssns = ids.map((id) => old.encrypt(Buffer.from(`${100 + (id % 900)}-${id % 100}-${id % 10000}`)));
    if (db.dialect === 'postgres')
      await db.exec(`INSERT INTO ${table} SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[])`, [ids, emails, ssns]);
    else if (db.dialect === 'mysql')
      await db.exec(
        `INSERT INTO ${table} VALUES ${ids.map(() => '(?, ?, ?)').join(', ')}`,
        ids.flatMap((id, i) => [id, emails[i], ssns[i]]),
      );
    else for (const [i, id] of ids.entries()) await db.exec(`INSERT INTO ${table} VALUES (?, ?, ?)`, [id, emails[i], ssns[i]]);
  }
  if (db.dialect === 'sqlite') await db.exec('COMMIT');
  if (db.dialect === 'postgres') await db.exec(`ANALYZE ${table}`);
}

/** The ceiling: Keyturn's own read and compare-and-set UPDATE statements, in the same batches, values precomputed. */
async function ceiling(url: string, table: string, keys: Keys): Promise<number> {
  const store = await storeFor(url);
  try {
    const ref = { schema: await store.defaultSchema(), table };
    const query = { ref, key: ['id'], columns: ['email', 'ssn'] };
    const multi = new MultiFernet([new Fernet(keys.new), new Fernet(keys.old)]);
    const next = new Map<string, CellValue[]>();
    for (
      let after = null, rows = await store.readBatch(query, null, BATCH);
      rows.length > 0;
      rows = await store.readBatch(query, after, BATCH)
    ) {
      for (const row of rows)
        next.set(
          keyId(row.key),
          row.cells.map((c) => multi.rotate(String(c))),
        );
      after = rows[rows.length - 1]!.key;
    }
    const started = performance.now();
    let done = 0;
    for (
      let after = null, rows = await store.readBatch(query, null, BATCH);
      rows.length > 0;
      rows = await store.readBatch(query, after, BATCH)
    ) {
      await store.writeBatch(
        query,
        rows.map((r) => ({ key: r.key, expected: r.cells, next: next.get(keyId(r.key))! })),
        () => [],
      );
      done += rows.length;
      after = rows[rows.length - 1]!.key;
    }
    return done / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
  }
}

async function keyturn(url: string, table: string, keys: Keys): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-bench-job-'));
  try {
    const started = performance.now();
    const { result } = await runJob({ url, keys, dir, params: { table, columns: ['email', 'ssn'], batchSize: BATCH } });
    const seconds = (performance.now() - started) / 1000;
    if (result.tables[0]!.columns.email!.rotated !== result.tables[0]!.rows) throw new Error('Keyturn did not rotate every row');
    return result.tables[0]!.rows / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runProcess(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err.slice(-600)}`))));
    child.stdin.end(input);
  });
}

async function python(dsn: string, table: string, keys: Keys): Promise<number> {
  const out = await runProcess(
    SYSTEM_PYTHON,
    [join(here, 'reencrypt-typical.py')],
    JSON.stringify({ dsn, table, new: keys.new, old: keys.old }),
  );
  const { rows, seconds } = JSON.parse(out) as { rows: number; seconds: number };
  return rows / seconds;
}

/** Peak RSS of a Keyturn job over `rows` rows, in a child process of its own (so nothing else of the bench counts). */
async function peakRss(url: string, table: string, keys: Keys): Promise<number> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-bench-rss-'));
  try {
    const out = await runProcess(
      process.execPath,
      ['--import', tsx, join(here, '..', 'test', 'support', 'reencrypt-child.ts')],
      JSON.stringify({ dir, url, keys, params: { table, columns: ['email', 'ssn'], batchSize: BATCH } }),
    );
    const done = /^done (.*)$/m.exec(out);
    return (JSON.parse(done![1]!) as { peakRss: number }).peakRss;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MB`;

/** A fresh PostgreSQL copy of the seeded rows for one contender, flushed to disk so no one pays for another's writes. */
async function copyTable(db: SqlClient, from: string, to: string): Promise<void> {
  await db.exec(`CREATE TABLE ${to} AS SELECT * FROM ${from}`);
  await db.exec(`ALTER TABLE ${to} ADD PRIMARY KEY (id)`);
  await db.exec(`ANALYZE ${to}`);
  await db.exec('CHECKPOINT');
}

async function postgres(keys: Keys): Promise<string[]> {
  const lines: string[] = [];
  // Production settings: durable commits (fsync, synchronous_commit on).
  const server = await startPostgres({ durable: true });
  try {
    const db = await pgClient(server.url());
    await seed(db, 'seed_rows', ROWS, keys);
    for (const name of ['py_rows', 'kt_rows', 'ceil_rows']) await copyTable(db, 'seed_rows', name);
    const dsn = `host=127.0.0.1 port=${server.port} user=${server.user} password=${server.password} dbname=postgres`;
    const py = await python(dsn, 'py_rows', keys);
    const kt = await keyturn(server.url(), 'kt_rows', keys);
    const ceil = await ceiling(server.url(), 'ceil_rows', keys);
    lines.push(
      `PostgreSQL 15, ${fmt(ROWS)} rows x 2 Fernet columns, durable commits, batches of ${BATCH} (Python: 1,000)`,
      'contender                          rows/s   vs python  % ceiling',
      `keyturn reencrypt run       ${fmt(kt).padStart(12)}  ${(kt / py).toFixed(2).padStart(8)}x  ${((100 * kt) / ceil).toFixed(0).padStart(8)}%`,
      `python typical script       ${fmt(py).padStart(12)}  ${'1.00'.padStart(8)}x  ${((100 * py) / ceil).toFixed(0).padStart(8)}%`,
      `ceiling (precomputed)       ${fmt(ceil).padStart(12)}  ${(ceil / py).toFixed(2).padStart(8)}x  ${'100'.padStart(8)}%`,
      `targets: >= ${TARGET_VS_PYTHON}x python: ${kt / py >= TARGET_VS_PYTHON ? 'ok' : 'BELOW TARGET'}; >= ${TARGET_VS_CEILING * 100}% of ceiling: ${kt / ceil >= TARGET_VS_CEILING ? 'ok' : 'BELOW TARGET'}`,
    );
    if (RSS_ROWS.length > 0) {
      const rss: string[] = [];
      for (const n of RSS_ROWS) {
        await seed(db, `rss_${n}`, n, keys);
        rss.push(`${fmt(n)} rows: ${mb(await peakRss(server.url(), `rss_${n}`, keys))}`);
      }
      lines.push(`keyturn peak RSS (own process, crypto workers included): ${rss.join('; ')}`);
    }
    await db.close();
  } finally {
    await server.stop();
  }
  return lines;
}

async function mariadb(keys: Keys): Promise<string[]> {
  const server = await startMariadb();
  try {
    const admin = await mysqlClient(server.url());
    await admin.exec('CREATE DATABASE bench');
    await admin.close();
    const url = server.url({ database: 'bench' });
    const db = await mysqlClient(url);
    await seed(db, 'kt_rows', ROWS, keys);
    await seed(db, 'ceil_rows', ROWS, keys);
    await db.close();
    const kt = await keyturn(url, 'kt_rows', keys);
    const ceil = await ceiling(url, 'ceil_rows', keys);
    return [`MariaDB 10.11: keyturn ${fmt(kt)} rows/s, ceiling ${fmt(ceil)} rows/s (${((100 * kt) / ceil).toFixed(0)}%)`];
  } finally {
    await server.stop();
  }
}

async function sqlite(keys: Keys): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-bench-sqlite-'));
  try {
    const file = join(dir, 'bench.db');
    const db = await sqliteClient(file);
    await db.exec('PRAGMA journal_mode = WAL');
    await seed(db, 'kt_rows', ROWS, keys);
    await seed(db, 'ceil_rows', ROWS, keys);
    await db.close();
    const url = `sqlite:///${file}`;
    const kt = await keyturn(url, 'kt_rows', keys);
    const ceil = await ceiling(url, 'ceil_rows', keys);
    return [`SQLite (libsql, WAL): keyturn ${fmt(kt)} rows/s, ceiling ${fmt(ceil)} rows/s (${((100 * kt) / ceil).toFixed(0)}%)`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const keys = { old: generateFernetKey(), new: generateFernetKey() };
  const only = process.env.KEYTURN_BENCH_REENCRYPT_DBS?.split(',') ?? ['postgres', 'mariadb', 'sqlite'];
  const lines: string[] = [];
  if (only.includes('postgres')) lines.push(...(await postgres(keys)));
  if (only.includes('mariadb')) lines.push(...(await mariadb(keys)));
  if (only.includes('sqlite')) lines.push(...(await sqlite(keys)));
  console.log(lines.join('\n'));
  console.log(
    'keyturn = the whole job: two connections, crypto workers one batch ahead, compare-and-set writes, each new token checked under the new key, a checkpoint file fsynced per batch.',
  );
}
