// The PII-store port on PostgreSQL through pg 8 (loaded only when a PostgreSQL URL is used). Two connections: one
// reads the next batch while the other writes the previous one, each batch write one short transaction.
import type { Client, ClientConfig } from 'pg';
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

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext']);
/** A row lock held by the application longer than this fails the batch (rolled back) instead of stalling the job. */
const LOCK_TIMEOUT = '30s';

export interface PostgresOptions {
  /** The folder relative TLS file paths resolve against (the .env file's, or the caller's). */
  baseDir: string;
}

export async function openPostgres(target: DatabaseTarget, options: PostgresOptions): Promise<PiiStore> {
  const { default: pg } = await import('pg');
  const description = describeDatabaseTarget(target);
  const scene = (what: string) => ({ where: description, what, ...(target.user ? { user: target.user } : {}) });
  const base: ClientConfig = {
    host: target.socket ?? target.host ?? 'localhost',
    port: target.port ?? 5432,
    ...(target.user ? { user: target.user } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.database ? { database: target.database } : {}),
    application_name: 'keyturn-reencrypt',
    connectionTimeoutMillis: 15_000,
    keepAlive: true,
  };
  const tls = tlsOptions(target.tls, options.baseDir);

  async function connect(): Promise<Client> {
    const attempt = async (ssl: ClientConfig['ssl']): Promise<Client> => {
      const client = new pg.Client({ ...base, ssl });
      // A server-side drop between queries surfaces as an 'error' event; the next query then fails with a coded error.
      client.on('error', () => undefined);
      await client.connect();
      await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
      return client;
    };
    try {
      if (!tls) return await attempt(false);
      try {
        return await attempt(tls);
      } catch (error) {
        // sslmode=prefer: a server without TLS is then used in plain text, as libpq does.
        if (target.tls.mode === 'prefer' && /does not support SSL/i.test(String((error as Error).message))) return await attempt(false);
        throw error;
      }
    } catch (error) {
      throw mapDbError(error, scene('connecting'));
    }
  }

  const [reader, writer] = await connectPair(connect);
  const infos = new Map<string, TableInfo>();
  const q = (name: string): string => quoteIdent('postgres', name);
  const where = (ref: TableRef): string => quoteTable('postgres', ref.schema, ref.table);

  async function run<T extends unknown[]>(client: Client, what: string, sql: string, values: unknown[] = []): Promise<T[]> {
    try {
      const result = await client.query({ text: sql, values, rowMode: 'array' });
      return result.rows as T[];
    } catch (error) {
      throw mapDbError(error, scene(what));
    }
  }

  async function describe(ref: TableRef): Promise<TableInfo> {
    const cached = infos.get(`${ref.schema}.${ref.table}`);
    if (cached) return cached;
    const rel = await run<[number | null]>(
      reader,
      `looking up ${ref.schema}.${ref.table}`,
      `SELECT c.oid::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
      [ref.schema, ref.table],
    );
    const oid = rel[0]?.[0];
    if (oid === undefined || oid === null)
      throw new KeyturnError('not-found', `There is no table ${ref.table} in schema ${ref.schema} on ${description}.`);
    const cols = await run<[string, string, string, boolean]>(
      reader,
      `reading the columns of ${ref.table}`,
      `SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text, a.attnotnull FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [oid],
    );
    const columns: ColumnInfo[] = cols.map(([name, type, typname, notNull]) => ({
      name,
      type,
      kind: TEXT_TYPES.has(typname) ? 'text' : typname === 'bytea' ? 'binary' : 'other',
      nullable: !notNull,
    }));
    const indexes = await run<[boolean, string[] | null]>(
      reader,
      `reading the keys of ${ref.table}`,
      // Unique indexes usable for keyset pagination: plain columns (no expressions), no predicate.
      `SELECT i.indisprimary, (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
         FROM pg_index i WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND 0 <> ALL (i.indkey)
         ORDER BY i.indisprimary DESC, i.indexrelid`,
      [oid],
    );
    const notNull = new Set(columns.filter((c) => !c.nullable).map((c) => c.name));
    const primary = indexes.find(([isPrimary]) => isPrimary)?.[1] ?? null;
    const info: TableInfo = {
      ...ref,
      columns,
      primaryKey: primary,
      uniqueKeys: indexes.map(([, names]) => names ?? []).filter((names) => names.length > 0 && names.every((n) => notNull.has(n))),
    };
    infos.set(`${ref.schema}.${ref.table}`, info);
    return info;
  }

  /** Casts for a column's values passed as text or as arrays of the column's own base type. */
  async function shapes(query: BatchQuery) {
    const info = await describe(query.ref);
    const typeOf = (name: string): ColumnInfo => {
      const column = info.columns.find((c) => c.name === name);
      if (!column) throw new KeyturnError('not-found', `Table ${query.ref.table} has no column ${name}.`);
      return column;
    };
    const keyTypes = query.key.map((name) => typeOf(name).type);
    const cellArrays = query.columns.map((name) => (typeOf(name).kind === 'binary' ? 'bytea[]' : 'text[]'));
    return { keyTypes, cellArrays };
  }

  function keysSql(query: BatchQuery, keyTypes: string[], firstParam: number): { tuple: string; params: string } {
    const tuple = `(${query.key.map((k) => `t.${q(k)}`).join(', ')})`;
    const params = `(${keyTypes.map((type, i) => `$${firstParam + i}::${type}`).join(', ')})`;
    return { tuple, params };
  }

  /** Keys as text, from alias t: ORDER BY "id" would otherwise sort by the text output column, not the integer. */
  function selectList(query: BatchQuery): string {
    return [...query.key.map((k) => `t.${q(k)}::text`), ...query.columns.map((c) => `t.${q(c)}`)].join(', ');
  }

  function toRows(query: BatchQuery, raw: unknown[][]): BatchRow[] {
    const n = query.key.length;
    return raw.map((r) => ({ key: r.slice(0, n) as KeyValue[], cells: r.slice(n) as CellValue[] }));
  }

  async function update(query: BatchQuery, updates: RowUpdate[], keyTypes: string[], cellArrays: string[]): Promise<Set<string>> {
    const nk = query.key.length;
    const arrays: unknown[] = [];
    const types: string[] = [];
    const names: string[] = [];
    query.key.forEach((_, i) => {
      arrays.push(updates.map((u) => String(u.key[i])));
      types.push('text[]');
      names.push(`k${i}`);
    });
    query.columns.forEach((_, i) => {
      arrays.push(updates.map((u) => u.expected[i]));
      arrays.push(updates.map((u) => u.next[i]));
      types.push(cellArrays[i]!, cellArrays[i]!);
      names.push(`e${i}`, `n${i}`);
    });
    const set = query.columns.map((c, i) => `${q(c)} = v.n${i}`).join(', ');
    const match = [
      ...query.key.map((k, i) => `t.${q(k)} = v.k${i}::${keyTypes[i]}`),
      ...query.columns.map((c, i) => `t.${q(c)} IS NOT DISTINCT FROM v.e${i}`),
    ].join(' AND ');
    const sql = `UPDATE ${where(query.ref)} AS t SET ${set}
      FROM unnest(${types.map((type, i) => `$${i + 1}::${type}`).join(', ')}) AS v(${names.join(', ')})
      WHERE ${match} RETURNING ${query.key.map((k) => `t.${q(k)}::text`).join(', ')}`;
    const rows = await run<string[]>(writer, `updating ${query.ref.table}`, sql, arrays);
    return new Set(rows.map((r) => keyId(r.slice(0, nk))));
  }

  return {
    dialect: 'postgres',
    description,
    async defaultSchema() {
      const rows = await run<[string]>(reader, 'reading the current schema', 'SELECT current_schema()');
      return rows[0]?.[0] ?? 'public';
    },
    async schemas(pattern) {
      const rows = await run<[string]>(
        reader,
        'listing schemas',
        `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 AND nspname NOT IN ('pg_catalog', 'information_schema')
           AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp%' ORDER BY 1`,
        [pattern],
      );
      return rows.map((r) => r[0]);
    },
    async tables(schema) {
      const rows = await run<[string]>(
        reader,
        `listing the tables of ${schema}`,
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY 1`,
        [schema],
      );
      return rows.map((r) => r[0]);
    },
    describe,
    async countRows(ref) {
      const rows = await run<[string]>(reader, `counting the rows of ${ref.table}`, `SELECT count(*) FROM ${where(ref)}`);
      return Number(rows[0]?.[0] ?? 0);
    },
    async sample(ref, column, limit) {
      const rows = await run<[CellValue]>(
        reader,
        `sampling ${ref.table}`,
        `SELECT ${q(column)} FROM ${where(ref)} WHERE ${q(column)} IS NOT NULL LIMIT ${Math.trunc(limit)}`,
      );
      return rows.map((r) => r[0]);
    },
    async readBatch(query, after, limit) {
      const { keyTypes } = await shapes(query);
      const order = query.key.map((k) => `t.${q(k)}`).join(', ');
      if (after === null) {
        const raw = await run<unknown[]>(
          reader,
          `reading ${query.ref.table}`,
          `SELECT ${selectList(query)} FROM ${where(query.ref)} AS t ORDER BY ${order} LIMIT ${limit}`,
        );
        return toRows(query, raw);
      }
      const { tuple, params } = keysSql(query, keyTypes, 1);
      const raw = await run<unknown[]>(
        reader,
        `reading ${query.ref.table}`,
        `SELECT ${selectList(query)} FROM ${where(query.ref)} AS t WHERE ${tuple} > ${params} ORDER BY ${order} LIMIT ${limit}`,
        after.map(String),
      );
      return toRows(query, raw);
    },
    async writeBatch(query, updates, retry) {
      const { keyTypes, cellArrays } = await shapes(query);
      const result: WriteResult = { written: 0, conflicts: 0, retried: 0, gone: [] };
      if (updates.length === 0) return result;
      try {
        await run(writer, `updating ${query.ref.table}`, 'BEGIN');
        const done = await update(query, updates, keyTypes, cellArrays);
        result.written = done.size;
        const missed = updates.filter((u) => !done.has(keyId(u.key)));
        if (missed.length > 0) {
          result.conflicts = missed.length;
          const { tuple } = keysSql(query, keyTypes, 1);
          const arrays = query.key.map((_, i) => missed.map((u) => String(u.key[i])));
          const casts = keyTypes.map((type, i) => `v.k${i}::${type}`).join(', ');
          const raw = await run<unknown[]>(
            writer,
            `re-reading rows of ${query.ref.table} changed meanwhile`,
            `SELECT ${selectList(query)} FROM ${where(query.ref)} AS t WHERE ${tuple} IN (SELECT ${casts} FROM unnest(${arrays.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS v(${query.key.map((_, i) => `k${i}`).join(', ')})) FOR UPDATE`,
            arrays,
          );
          const current = toRows(query, raw);
          const present = new Set(current.map((r) => keyId(r.key)));
          result.gone = missed.filter((u) => !present.has(keyId(u.key))).map((u) => u.key);
          const again = retry(current);
          if (again.length > 0) result.retried = (await update(query, again, keyTypes, cellArrays)).size;
        }
        await run(writer, `committing ${query.ref.table}`, 'COMMIT');
        return result;
      } catch (error) {
        if (!isConnectionLoss(error)) await writer.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async checkWritable(query) {
      await shapes(query);
      const set = query.columns.map((c) => `${q(c)} = ${q(c)}`).join(', ');
      try {
        await run(writer, `checking write access to ${query.ref.table}`, 'BEGIN');
        await run(writer, `checking write access to ${query.ref.table}`, `UPDATE ${where(query.ref)} SET ${set} WHERE false`);
      } finally {
        await writer.query('ROLLBACK').catch(() => undefined);
      }
    },
    async close() {
      await Promise.all([reader.end().catch(() => undefined), writer.end().catch(() => undefined)]);
    },
  };
}
