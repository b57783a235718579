// The PII-store port on MySQL and MariaDB through mysql2 3 (loaded only when a MySQL URL is used). Batches are written
// as one UPDATE joined to the batch's rows (UNION ALL of literals works on both servers), compare-and-set in the join.
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { describeDatabaseTarget, type DatabaseTarget } from '../../../shared/formats/database-url.js';
import { isConnectionLoss, mapDbError } from './db-errors.js';
import {
  keyId,
  type BatchQuery,
  type BatchRow,
  type CellValue,
  type ColumnInfo,
  type KeyValue,
  type PiiStore,
  type RowUpdate,
  type TableInfo,
  type TableRef,
  type WriteResult,
} from './pii-store.js';
import { quoteIdent, quoteTable } from './sql-names.js';
import { tlsOptions } from './tls-options.js';
import { connectPair } from './connection-pair.js';

const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];
const LOCK_WAIT_SECONDS = 30;

export interface MysqlOptions {
  baseDir: string;
}

type Row = unknown[];

export async function openMysql(target: DatabaseTarget, options: MysqlOptions): Promise<PiiStore> {
  const mysql = await import('mysql2/promise');
  const description = describeDatabaseTarget(target);
  const scene = (what: string) => ({ where: description, what, ...(target.user ? { user: target.user } : {}) });
  const base: ConnectionOptions = {
    ...(target.socket ? { socketPath: target.socket } : { host: target.host ?? 'localhost', port: target.port ?? 3306 }),
    ...(target.user ? { user: target.user } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.database ? { database: target.database } : {}),
    charset: 'utf8mb4',
    // Keys come back exactly: big integers as strings only beyond 2^53, dates as text.
    supportBigNumbers: true,
    dateStrings: true,
    connectTimeout: 15_000,
    enableKeepAlive: true,
  };
  const tls = tlsOptions(target.tls, options.baseDir);

  async function connect(): Promise<Connection> {
    const attempt = async (ssl: ConnectionOptions['ssl'] | undefined): Promise<Connection> => {
      const connection = await mysql.createConnection({ ...base, ...(ssl ? { ssl } : {}) });
      connection.on('error', () => undefined);
      await connection.query(`SET SESSION innodb_lock_wait_timeout = ${LOCK_WAIT_SECONDS}`);
      return connection;
    };
    try {
      if (!tls) return await attempt(undefined);
      try {
        return await attempt(tls as ConnectionOptions['ssl']);
      } catch (error) {
        if (target.tls.mode === 'prefer' && /does not support secure connection/i.test(String((error as Error).message)))
          return await attempt(undefined);
        throw error;
      }
    } catch (error) {
      throw mapDbError(error, scene('connecting'));
    }
  }

  const [reader, writer] = await connectPair(connect);
  const infos = new Map<string, TableInfo>();
  const q = (name: string): string => quoteIdent('mysql', name);
  const where = (ref: TableRef): string => quoteTable('mysql', ref.schema, ref.table);
  const lit = (value: unknown): string => writer.escape(value);

  async function run(connection: Connection, what: string, sql: string, values: unknown[] = []): Promise<Row[]> {
    try {
      const [rows] = await connection.query({ sql, values, rowsAsArray: true });
      return rows as Row[];
    } catch (error) {
      throw mapDbError(error, scene(what));
    }
  }

  async function exec(connection: Connection, what: string, sql: string): Promise<number> {
    try {
      const [result] = await connection.query(sql);
      return (result as { affectedRows: number }).affectedRows;
    } catch (error) {
      throw mapDbError(error, scene(what));
    }
  }

  async function describe(ref: TableRef): Promise<TableInfo> {
    const cached = infos.get(`${ref.schema}.${ref.table}`);
    if (cached) return cached;
    const found = await run(
      reader,
      `looking up ${ref.table}`,
      `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'`,
      [ref.schema, ref.table],
    );
    if (found.length === 0)
      throw new KeyturnError('not-found', `There is no table ${ref.table} in database ${ref.schema} on ${description}.`);
    const cols = await run(
      reader,
      `reading the columns of ${ref.table}`,
      `SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [ref.schema, ref.table],
    );
    const columns: ColumnInfo[] = cols.map(([name, type, dataType, nullable]) => {
      const data = String(dataType).toLowerCase();
      return {
        name: String(name),
        type: String(type),
        kind: TEXT_TYPES.has(data) ? 'text' : BINARY_TYPES.has(data) ? 'binary' : 'other',
        nullable: nullable === 'YES',
      };
    });
    const stats = await run(
      reader,
      `reading the keys of ${ref.table}`,
      `SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
      [ref.schema, ref.table],
    );
    const byIndex = new Map<string, { names: string[]; usable: boolean }>();
    for (const [index, column, subPart] of stats) {
      const entry = byIndex.get(String(index)) ?? { names: [], usable: true };
      // Prefix and functional indexes do not order by the whole column value.
      if (column === null || subPart !== null) entry.usable = false;
      else entry.names.push(String(column));
      byIndex.set(String(index), entry);
    }
    const notNull = new Set(columns.filter((c) => !c.nullable).map((c) => c.name));
    const primary = byIndex.get('PRIMARY');
    const info: TableInfo = {
      ...ref,
      columns,
      primaryKey: primary?.usable ? primary.names : null,
      uniqueKeys: [...byIndex.values()].filter((e) => e.usable && e.names.every((n) => notNull.has(n))).map((e) => e.names),
    };
    infos.set(`${ref.schema}.${ref.table}`, info);
    return info;
  }

  async function check(query: BatchQuery): Promise<void> {
    const info = await describe(query.ref);
    for (const name of [...query.key, ...query.columns])
      if (!info.columns.some((c) => c.name === name))
        throw new KeyturnError('not-found', `Table ${query.ref.table} has no column ${name}.`);
  }

  const selectList = (query: BatchQuery): string => [...query.key, ...query.columns].map(q).join(', ');
  const toRows = (query: BatchQuery, raw: Row[]): BatchRow[] =>
    raw.map((r) => ({ key: r.slice(0, query.key.length) as KeyValue[], cells: r.slice(query.key.length) as CellValue[] }));

  /** `(k0, k1) > (a, b)` spelled out, since MariaDB does not use an index for row-value comparisons. */
  function after(query: BatchQuery, values: KeyValue[]): string {
    const terms = query.key.map((_, i) => {
      const equal = query.key.slice(0, i).map((k, j) => `${q(k)} = ${lit(values[j])}`);
      return `(${[...equal, `${q(query.key[i]!)} > ${lit(values[i])}`].join(' AND ')})`;
    });
    return terms.join(' OR ');
  }

  function keyIn(query: BatchQuery, keys: KeyValue[][]): string {
    return `(${query.key.map(q).join(', ')}) IN (${keys.map((k) => `(${k.map(lit).join(', ')})`).join(', ')})`;
  }

  async function update(query: BatchQuery, updates: RowUpdate[]): Promise<number> {
    const names = [...query.key.map((_, i) => `k${i}`), ...query.columns.flatMap((_, i) => [`e${i}`, `n${i}`])];
    const rows = updates.map((u, r) => {
      const values = [...u.key, ...u.expected.flatMap((e, i) => [e, u.next[i]])].map(lit);
      return r === 0 ? `SELECT ${values.map((v, i) => `${v} AS ${names[i]}`).join(', ')}` : `SELECT ${values.join(', ')}`;
    });
    // CAST(... AS BINARY): tokens are compared byte for byte, whatever the column's (often case-insensitive) collation.
    const match = [
      ...query.key.map((k, i) => `t.${q(k)} = v.k${i}`),
      ...query.columns.map((c, i) => `t.${q(c)} <=> CAST(v.e${i} AS BINARY)`),
    ].join(' AND ');
    const set = query.columns.map((c, i) => `t.${q(c)} = v.n${i}`).join(', ');
    return exec(
      writer,
      `updating ${query.ref.table}`,
      `UPDATE ${where(query.ref)} AS t JOIN (${rows.join(' UNION ALL ')}) AS v ON ${match} SET ${set}`,
    );
  }

  const sameCell = (a: CellValue, b: CellValue): boolean =>
    a === null || b === null ? a === b : Buffer.isBuffer(a) || Buffer.isBuffer(b) ? Buffer.from(a).equals(Buffer.from(b)) : a === b;

  return {
    dialect: 'mysql',
    description,
    async defaultSchema() {
      const rows = await run(reader, 'reading the current database', 'SELECT DATABASE()');
      const name = rows[0]?.[0];
      if (typeof name !== 'string')
        throw new KeyturnError(
          'invalid-input',
          `The database URL for ${description} names no database: add it to the URL or pass --schema.`,
        );
      return name;
    },
    async schemas(pattern) {
      const rows = await run(
        reader,
        'listing databases',
        `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? AND SCHEMA_NAME NOT IN (?) ORDER BY 1`,
        [pattern, SYSTEM_SCHEMAS],
      );
      return rows.map((r) => String(r[0]));
    },
    async tables(schema) {
      const rows = await run(
        reader,
        `listing the tables of ${schema}`,
        `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1`,
        [schema],
      );
      return rows.map((r) => String(r[0]));
    },
    describe,
    async countRows(ref) {
      const rows = await run(reader, `counting the rows of ${ref.table}`, `SELECT COUNT(*) FROM ${where(ref)}`);
      return Number(rows[0]?.[0] ?? 0);
    },
    async sample(ref, column, limit) {
      const rows = await run(
        reader,
        `sampling ${ref.table}`,
        `SELECT ${q(column)} FROM ${where(ref)} WHERE ${q(column)} IS NOT NULL LIMIT ${Math.trunc(limit)}`,
      );
      return rows.map((r) => r[0] as CellValue);
    },
    async readBatch(query, afterKey, limit) {
      await check(query);
      const order = query.key.map(q).join(', ');
      const filter = afterKey === null ? '' : `WHERE ${after(query, afterKey)}`;
      const raw = await run(
        reader,
        `reading ${query.ref.table}`,
        `SELECT ${selectList(query)} FROM ${where(query.ref)} ${filter} ORDER BY ${order} LIMIT ${limit}`,
      );
      return toRows(query, raw);
    },
    async writeBatch(query, updates, retry) {
      await check(query);
      const result: WriteResult = { written: 0, conflicts: 0, retried: 0, gone: [] };
      if (updates.length === 0) return result;
      try {
        await exec(writer, `updating ${query.ref.table}`, 'START TRANSACTION');
        // With CLIENT_FOUND_ROWS (mysql2's default) this counts rows matched, which the compare-and-set makes rows written.
        const matched = await update(query, updates);
        result.written = matched;
        if (matched < updates.length) {
          // Which rows missed: read all of the batch back under a row lock; ours now hold the new value.
          const raw = await run(
            writer,
            `re-reading rows of ${query.ref.table} changed meanwhile`,
            `SELECT ${selectList(query)} FROM ${where(query.ref)} WHERE ${keyIn(
              query,
              updates.map((u) => u.key),
            )} FOR UPDATE`,
          );
          const current = toRows(query, raw);
          const byKey = new Map(current.map((r) => [keyId(r.key), r]));
          const changed: BatchRow[] = [];
          for (const u of updates) {
            const row = byKey.get(keyId(u.key));
            if (!row) result.gone.push(u.key);
            else if (!row.cells.every((cell, i) => sameCell(cell, u.next[i]!))) changed.push(row);
          }
          result.conflicts = changed.length + result.gone.length;
          const again = retry(changed);
          if (again.length > 0) result.retried = await update(query, again);
        }
        await exec(writer, `committing ${query.ref.table}`, 'COMMIT');
        return result;
      } catch (error) {
        if (!isConnectionLoss(error)) await writer.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async checkWritable(query) {
      await check(query);
      const set = query.columns.map((c) => `${q(c)} = ${q(c)}`).join(', ');
      await exec(writer, `checking write access to ${query.ref.table}`, `UPDATE ${where(query.ref)} SET ${set} WHERE 1 = 0`);
    },
    async close() {
      await Promise.all([reader.end().catch(() => undefined), writer.end().catch(() => undefined)]);
    },
  };
}
