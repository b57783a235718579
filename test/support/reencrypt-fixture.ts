// Test fixtures for re-encryption on any of the three databases: a plain SQL client per dialect (the drivers used
// directly, not through Keyturn's adapters), a seeded table mixing Python-written tokens under the old key, tokens
// already under the new key, NULLs, empty values and poison, and the Python judgement of the table afterwards.
import assert from 'node:assert/strict';
import { pythonEncrypt, pythonJudge } from './fernet-oracle.js';

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

export interface SqlClient {
  dialect: Dialect;
  /** `?` placeholders in every dialect (turned into $n for PostgreSQL). */
  exec(sql: string, params?: unknown[]): Promise<void>;
  rows(sql: string, params?: unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

function dollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

export async function pgClient(url: string): Promise<SqlClient> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    dialect: 'postgres',
    exec: async (sql, params = []) => void (await client.query(dollarParams(sql), params)),
    rows: async (sql, params = []) =>
      (await client.query({ text: dollarParams(sql), values: params, rowMode: 'array' })).rows as unknown[][],
    close: () => client.end(),
  };
}

export async function mysqlClient(url: string): Promise<SqlClient> {
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ uri: url, supportBigNumbers: true });
  return {
    dialect: 'mysql',
    exec: async (sql, params = []) => void (await connection.query(sql, params)),
    rows: async (sql, params = []) => (await connection.query({ sql, values: params, rowsAsArray: true }))[0] as unknown[][],
    close: () => connection.end(),
  };
}

export async function sqliteClient(path: string): Promise<SqlClient> {
  const { default: Database } = await import('libsql');
  const db = new Database(path, { timeout: 30_000 });
  const fix = (v: unknown): unknown => (v instanceof ArrayBuffer ? Buffer.from(v) : v);
  return {
    dialect: 'sqlite',
    exec: async (sql, params = []) => {
      if (params.length) db.prepare(sql).run(...params);
      else db.exec(sql);
    },
    rows: async (sql, params = []) =>
      (
        db
          .prepare(sql)
          .raw(true)
          .all(...params) as unknown[][]
      ).map((r) => r.map(fix)),
    close: async () => {
      db.close();
    },
  };
}

/** Column types per dialect for the seeded tables. */
export const TYPES: Record<Dialect, { int: string; text: string; blob: string; shortText: string }> = {
  postgres: { int: 'integer', text: 'text', blob: 'bytea', shortText: 'varchar(64)' },
  mysql: { int: 'INT', text: 'TEXT', blob: 'BLOB', shortText: 'VARCHAR(64)' },
  sqlite: { int: 'INTEGER', text: 'TEXT', blob: 'BLOB', shortText: 'TEXT' },
};

export type CellKind = 'old' | 'new' | 'null' | 'empty' | 'poison';

export interface SeededCell {
  kind: CellKind;
  /** The plaintext a good token holds. */
  plaintext?: string;
  /** The stored value as seeded. */
  stored: string | Buffer | null;
  at?: number;
}

export interface SeededRow {
  id: number;
  email: SeededCell;
  ssn: SeededCell;
}

/** Which kind of cell row i / column c gets: mostly old tokens, with every other kind mixed in. */
export function kindFor(i: number, column: 0 | 1): CellKind {
  const k = (i * 7 + column * 3) % 23;
  return k === 0 ? 'null' : k === 1 ? 'empty' : k === 2 ? 'poison' : k === 3 ? 'new' : 'old';
}

const BASE_TIME = 1_600_000_000;

/**
 * Builds `count` rows of users(id, email text, ssn bytea/BLOB): Python writes the tokens (old key, and some under the
 * new key); poison is a token under a stranger key or plain garbage.
 */
export async function seedUsers(
  db: SqlClient,
  table: string,
  count: number,
  keys: { old: string; new: string; stranger: string },
): Promise<SeededRow[]> {
  const t = TYPES[db.dialect];
  await db.exec(`CREATE TABLE ${table} (id ${t.int} PRIMARY KEY, email ${t.text}, ssn ${t.blob}, note ${t.shortText})`);
  const specs: { id: number; cells: SeededCell[] }[] = [];
  type Pending = { at: number; plaintext: string; cell: SeededCell }[];
  const byKey: Record<'old' | 'new' | 'stranger', Pending> = { old: [], new: [], stranger: [] };
  for (let i = 1; i <= count; i += 1) {
    const cells: SeededCell[] = ([0, 1] as const).map((c) => {
      const kind = kindFor(i, c);
      const plaintext = c === 0 ? `person${i}@example.com` : `${100 + (i % 900)}-${(i * 37) % 100}-${(i * 7919) % 10000}`;
      const at = BASE_TIME + i * 60 + c;
      const cell: SeededCell = { kind, stored: null };
      if (kind === 'empty') cell.stored = c === 0 ? '' : Buffer.alloc(0);
      if (kind === 'old' || kind === 'new') {
        cell.plaintext = plaintext;
        cell.at = at;
        byKey[kind].push({ at, plaintext, cell });
      }
      if (kind === 'poison') {
        if (i % 2 === 0) byKey.stranger.push({ at, plaintext, cell });
        else cell.stored = c === 0 ? 'not-a-fernet-token' : Buffer.from('gAAAAABgarbage');
      }
      return cell;
    });
    specs.push({ id: i, cells });
  }
  for (const [which, key] of [
    ['old', keys.old],
    ['new', keys.new],
    ['stranger', keys.stranger],
  ] as const) {
    const list = byKey[which];
    const tokens = await pythonEncrypt(
      key,
      list.map((x) => ({ plaintext: Buffer.from(x.plaintext), at: x.at })),
    );
    list.forEach((x, j) => (x.cell.stored = tokens[j]!));
  }
  // The bytea/BLOB column holds the token's ASCII bytes, as SQLAlchemy's LargeBinary stores Python's bytes.
  for (const spec of specs) {
    const ssn = spec.cells[1]!;
    if (typeof ssn.stored === 'string') ssn.stored = Buffer.from(ssn.stored, 'latin1');
  }
  for (let i = 0; i < specs.length; i += 200) {
    const chunk = specs.slice(i, i + 200);
    await db.exec(
      `INSERT INTO ${table} (id, email, ssn, note) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((s) => [s.id, s.cells[0]!.stored, s.cells[1]!.stored, `note ${s.id}`]),
    );
  }
  return specs.map((s) => ({ id: s.id, email: s.cells[0]!, ssn: s.cells[1]! }));
}

export function cellString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  return String(value);
}

/**
 * Asserts the table as Python sees it: old tokens now open under the new key alone with the same plaintext and
 * timestamp; tokens already new, NULLs, empty values and poison exactly as seeded; the note column untouched.
 */
export async function assertRotated(db: SqlClient, table: string, seeded: SeededRow[], keys: { old: string; new: string }): Promise<void> {
  const rows = await db.rows(`SELECT id, email, ssn, note FROM ${table} ORDER BY id`);
  assert.equal(rows.length, seeded.length);
  const cells = rows.flatMap((r) => [cellString(r[1]), cellString(r[2])]);
  const judged = await pythonJudge(keys.new, keys.old, cells);
  rows.forEach((row, r) => {
    const seed = seeded[r]!;
    assert.equal(Number(row[0]), seed.id);
    assert.equal(row[3], `note ${seed.id}`);
    [seed.email, seed.ssn].forEach((cell, c) => {
      const stored = rows[r]![c + 1];
      const judgement = judged[r * 2 + c];
      const where = `row ${seed.id} column ${c === 0 ? 'email' : 'ssn'} (${cell.kind})`;
      if (cell.kind === 'old') {
        assert.ok(judgement, where);
        assert.equal(judgement.underNew && Buffer.from(judgement.underNew, 'base64').toString(), cell.plaintext, where);
        assert.equal(judgement.underOld, false, where);
        assert.equal(judgement.timestamp, cell.at, `${where}: timestamp kept`);
        // bytea/BLOB stays bytes, text stays text.
        assert.equal(Buffer.isBuffer(stored) || stored instanceof Uint8Array, c === 1, `${where}: type kept`);
      } else {
        assert.equal(cellString(stored), cellString(cell.stored), `${where}: unchanged`);
      }
    });
  });
}

export function countKinds(seeded: SeededRow[], column: 'email' | 'ssn'): Record<CellKind, number> {
  const out: Record<CellKind, number> = { old: 0, new: 0, null: 0, empty: 0, poison: 0 };
  for (const row of seeded) out[row[column].kind] += 1;
  return out;
}
