// The PII-store port on SQLite through libsql (loaded only for a sqlite:// URL): an N-API build of SQLite shipped
// inside the npm package, so it installs without a compiler and loads in Electron without a rebuild. Its calls are
// synchronous; each batch is one BEGIN IMMEDIATE transaction, waiting up to a busy timeout for the application.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type LibsqlDatabase from 'libsql';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { DatabaseTarget } from '../../../shared/formats/database-url.js';
import { mapDbError } from './db-errors.js';
import type {
  BatchQuery,
  BatchRow,
  CellValue,
  ColumnInfo,
  KeyValue,
  PiiStore,
  RowUpdate,
  TableInfo,
  TableRef,
  WriteResult,
} from './pii-store.js';
import { quoteIdent } from './sql-names.js';

type Database = InstanceType<typeof LibsqlDatabase>;
interface Statement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}

const BUSY_TIMEOUT_MS = 30_000;

export interface SqliteOptions {
  baseDir: string;
}

/** libsql hands BLOBs back as ArrayBuffers; the port speaks Buffers. */
function cell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (Buffer.isBuffer(value)) return value;
  return typeof value === 'string' ? value : String(value);
}

function keyValue(value: unknown): KeyValue {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return value as KeyValue;
}

/** SQLite's type affinity rules (section 3.1 of its datatype page): where a Fernet token can sit. */
function kindOf(type: string): ColumnInfo['kind'] {
  const t = type.toUpperCase();
  if (/CHAR|CLOB|TEXT/.test(t)) return 'text';
  if (t === '' || /BLOB/.test(t)) return 'binary';
  return 'other';
}

export async function openSqlite(target: DatabaseTarget, options: SqliteOptions): Promise<PiiStore> {
  const { default: Libsql } = await import('libsql');
  const path = target.path === ':memory:' ? ':memory:' : resolve(options.baseDir, target.path ?? '');
  const description = target.path === ':memory:' ? 'SQLite in memory' : `SQLite file ${path}`;
  const scene = (what: string) => ({ where: description, what });
  // libsql would create a missing file; a typo in the path must not look like an empty database.
  if (path !== ':memory:' && !existsSync(path))
    throw new KeyturnError('not-found', `The SQLite file ${path} does not exist: check the path in the database URL.`);
  let db: Database;
  try {
    db = new Libsql(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw mapDbError(error, scene('opening'));
  }
  const infos = new Map<string, TableInfo>();
  const statements = new Map<string, Statement>();
  const q = (name: string): string => quoteIdent('sqlite', name);
  const where = (ref: TableRef): string => `${q(ref.schema)}.${q(ref.table)}`;

  function prepared(sql: string): Statement {
    let statement = statements.get(sql);
    if (!statement) {
      const raw = db.prepare(sql);
      // raw() (rows as arrays) exists only for statements that return rows.
      statement = (raw.reader ? raw.raw(true) : raw).safeIntegers(true) as unknown as Statement;
      statements.set(sql, statement);
    }
    return statement;
  }

  function all(what: string, sql: string, values: unknown[] = []): unknown[][] {
    try {
      return prepared(sql).all(...values) as unknown[][];
    } catch (error) {
      throw mapDbError(error, scene(what));
    }
  }

  function exec(what: string, sql: string): void {
    try {
      db.exec(sql);
    } catch (error) {
      throw mapDbError(error, scene(what));
    }
  }

  async function describe(ref: TableRef): Promise<TableInfo> {
    const cached = infos.get(ref.table);
    if (cached) return cached;
    const found = all(`looking up ${ref.table}`, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`, [ref.table]);
    if (ref.schema !== 'main' || found.length === 0)
      throw new KeyturnError('not-found', `There is no table ${ref.table} in ${description}.`);
    const cols = all(`reading the columns of ${ref.table}`, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, [ref.table]);
    const columns: ColumnInfo[] = cols.map(([name, type, notNull]) => ({
      name: String(name),
      type: String(type),
      kind: kindOf(String(type)),
      nullable: Number(notNull) === 0,
    }));
    const pk = cols
      .filter((c) => Number(c[3]) > 0)
      .sort((a, b) => Number(a[3]) - Number(b[3]))
      .map((c) => String(c[0]));
    const notNull = new Set(columns.filter((c) => !c.nullable).map((c) => c.name));
    const uniqueKeys: string[][] = [];
    for (const [name, unique, , partial] of all(
      `reading the keys of ${ref.table}`,
      `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`,
      [ref.table],
    )) {
      if (Number(unique) !== 1 || Number(partial) !== 0) continue;
      const names = all(`reading the keys of ${ref.table}`, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, [name]).map(
        (r) => r[0],
      );
      // Expression index columns have no name.
      if (names.every((n) => typeof n === 'string' && notNull.has(n))) uniqueKeys.push(names as string[]);
    }
    // An INTEGER PRIMARY KEY is the rowid: never NULL, even where the column is not declared NOT NULL.
    if (pk.length > 0 && (pk.every((n) => notNull.has(n)) || pk.length === 1)) uniqueKeys.unshift(pk);
    const info: TableInfo = { ...ref, columns, primaryKey: pk.length > 0 ? pk : null, uniqueKeys };
    infos.set(ref.table, info);
    return info;
  }

  async function check(query: BatchQuery): Promise<void> {
    const info = await describe(query.ref);
    for (const name of [...query.key, ...query.columns])
      if (!info.columns.some((c) => c.name === name))
        throw new KeyturnError('not-found', `Table ${query.ref.table} has no column ${name}.`);
  }

  const selectList = (query: BatchQuery): string => [...query.key, ...query.columns].map(q).join(', ');
  const toRows = (query: BatchQuery, raw: unknown[][]): BatchRow[] =>
    raw.map((r) => ({ key: r.slice(0, query.key.length).map(keyValue), cells: r.slice(query.key.length).map(cell) }));

  function updateOne(query: BatchQuery, u: RowUpdate): boolean {
    const set = query.columns.map((c) => `${q(c)} = ?`).join(', ');
    const match = [...query.key.map((k) => `${q(k)} = ?`), ...query.columns.map((c) => `${q(c)} IS ?`)].join(' AND ');
    const statement = prepared(`UPDATE ${where(query.ref)} SET ${set} WHERE ${match}`);
    return statement.run(...u.next, ...u.key, ...u.expected).changes === 1;
  }

  return {
    dialect: 'sqlite',
    description,
    async defaultSchema() {
      return 'main';
    },
    async schemas(pattern) {
      const rows = all('listing schemas', `SELECT 'main' WHERE 'main' LIKE ?`, [pattern]);
      return rows.map((r) => String(r[0]));
    },
    async tables(schema) {
      if (schema !== 'main') return [];
      return all(
        'listing tables',
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1`,
      ).map((r) => String(r[0]));
    },
    describe,
    async countRows(ref) {
      return Number(all(`counting the rows of ${ref.table}`, `SELECT count(*) FROM ${where(ref)}`)[0]?.[0] ?? 0);
    },
    async sample(ref, column, limit) {
      const rows = all(
        `sampling ${ref.table}`,
        `SELECT ${q(column)} FROM ${where(ref)} WHERE ${q(column)} IS NOT NULL LIMIT ${Math.trunc(limit)}`,
      );
      return rows.map((r) => cell(r[0]));
    },
    async readBatch(query, after, limit) {
      await check(query);
      const order = query.key.map(q).join(', ');
      const tuple = `(${query.key.map(q).join(', ')})`;
      const filter = after === null ? '' : `WHERE ${tuple} > (${query.key.map(() => '?').join(', ')})`;
      return toRows(
        query,
        all(
          `reading ${query.ref.table}`,
          `SELECT ${selectList(query)} FROM ${where(query.ref)} ${filter} ORDER BY ${order} LIMIT ${limit}`,
          after ?? [],
        ),
      );
    },
    async writeBatch(query, updates, retry) {
      await check(query);
      const result: WriteResult = { written: 0, conflicts: 0, retried: 0, gone: [] };
      if (updates.length === 0) return result;
      exec(`updating ${query.ref.table}`, 'BEGIN IMMEDIATE');
      try {
        const missed: RowUpdate[] = [];
        for (const u of updates) {
          if (updateOne(query, u)) result.written += 1;
          else missed.push(u);
        }
        if (missed.length > 0) {
          result.conflicts = missed.length;
          // The write lock is held: a plain read sees the rows as they are and nothing can change them now.
          const current: BatchRow[] = [];
          const pick = `SELECT ${selectList(query)} FROM ${where(query.ref)} WHERE ${query.key.map((k) => `${q(k)} = ?`).join(' AND ')}`;
          for (const u of missed) {
            const row = toRows(query, all(`re-reading ${query.ref.table}`, pick, u.key))[0];
            if (row) current.push(row);
            else result.gone.push(u.key);
          }
          for (const u of retry(current)) if (updateOne(query, u)) result.retried += 1;
        }
        exec(`committing ${query.ref.table}`, 'COMMIT');
        return result;
      } catch (error) {
        try {
          if (db.inTransaction) db.exec('ROLLBACK');
        } catch {
          // The failure is what matters; a failed rollback leaves SQLite to roll back on close.
        }
        throw mapDbError(error, scene(`updating ${query.ref.table}`));
      }
    },
    async checkWritable(query) {
      await check(query);
      const set = query.columns.map((c) => `${q(c)} = ${q(c)}`).join(', ');
      exec(`checking write access to ${query.ref.table}`, 'BEGIN IMMEDIATE');
      try {
        exec(`checking write access to ${query.ref.table}`, `UPDATE ${where(query.ref)} SET ${set} WHERE 0`);
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    },
    async close() {
      db.close();
    },
  };
}
