// The PII-store port: what re-encryption needs from a database (catalog, keyset reads, compare-and-set batch writes),
// whichever engine backs it. Adapters: postgres.ts, mysql.ts, sqlite.ts; create-pii-store.ts picks one from a URL.
import type { DatabaseDialect } from '../../../shared/formats/database-url.js';

/** A stored token: text columns give strings, bytea/BLOB columns Buffers; written back in the same form. */
export type CellValue = string | Buffer | null;

/**
 * A key column's value as the driver returns it. Keys are compared only by the database (ORDER BY, >, =), never in
 * JavaScript, so text keys keep the database's collation. PostgreSQL keys come back as their text form.
 */
export type KeyValue = string | number | bigint | Buffer;

export interface TableRef {
  /** PostgreSQL schema, MySQL database, SQLite "main". */
  schema: string;
  table: string;
}

export type ColumnKind = 'text' | 'binary' | 'other';

export interface ColumnInfo {
  name: string;
  /** The type as the database spells it (varchar(255), bytea, longblob, ...). */
  type: string;
  /** text and binary columns can hold Fernet tokens; other types cannot. */
  kind: ColumnKind;
  nullable: boolean;
}

export interface TableInfo extends TableRef {
  columns: ColumnInfo[];
  /** Primary-key columns in key order; null for a table without one. */
  primaryKey: string[] | null;
  /** Unique indexes over NOT NULL columns (no partial or expression indexes): what keyset pagination can use instead. */
  uniqueKeys: string[][];
}

export interface BatchRow {
  key: KeyValue[];
  cells: CellValue[];
}

/** One row to change: `next` replaces `expected` only where every cell still holds what was read. */
export interface RowUpdate {
  key: KeyValue[];
  expected: CellValue[];
  next: CellValue[];
}

export interface BatchQuery {
  ref: TableRef;
  /** Key columns (the primary key, or a NOT NULL unique key). */
  key: string[];
  /** The token columns, in the order of `cells`. */
  columns: string[];
}

export interface WriteResult {
  /** Rows changed by the first compare-and-set. */
  written: number;
  /** Rows a concurrent write had changed since they were read: re-read under a row lock and passed to `retry`. */
  conflicts: number;
  /** Of those, rows the retry changed. */
  retried: number;
  /** Rows deleted since they were read. */
  gone: KeyValue[][];
}

export interface PiiStore {
  readonly dialect: DatabaseDialect;
  /** Where and who (never the password), for messages and job notes. */
  readonly description: string;
  /** The schema a bare table name lives in (current_schema(), DATABASE(), "main"). */
  defaultSchema(): Promise<string>;
  /** Schemas whose name matches the SQL LIKE pattern (tenant_%), system schemas left out, sorted. */
  schemas(pattern: string): Promise<string[]>;
  /** Base tables of a schema, sorted. */
  tables(schema: string): Promise<string[]>;
  /** Columns and keys of a table; not-found when it does not exist. */
  describe(ref: TableRef): Promise<TableInfo>;
  countRows(ref: TableRef): Promise<number>;
  /** Up to `limit` non-NULL values of one column, for finding the columns that hold tokens. */
  sample(ref: TableRef, column: string, limit: number): Promise<CellValue[]>;
  /** Up to `limit` rows with a key greater than `after` (all when null), in key order. */
  readBatch(query: BatchQuery, after: KeyValue[] | null, limit: number): Promise<BatchRow[]>;
  /**
   * One short transaction: every update applied where the row still holds `expected`; rows changed meanwhile are read
   * again under a row lock, `retry` says what to write for them (once), and that is written in the same transaction.
   */
  writeBatch(query: BatchQuery, updates: RowUpdate[], retry: (current: BatchRow[]) => RowUpdate[]): Promise<WriteResult>;
  /** Fails (db-permission, not-found) if the columns cannot be updated; changes nothing. */
  checkWritable(query: BatchQuery): Promise<void>;
  close(): Promise<void>;
}

/** A key as a string that tells distinct keys apart (bytes by hex, numbers and bigints by value), for matching rows. */
export function keyId(key: readonly KeyValue[]): string {
  return key
    .map((v) =>
      Buffer.isBuffer(v) ? `b:${v.toString('hex')}` : typeof v === 'bigint' ? `n:${v}` : `${typeof v === 'number' ? 'n' : 's'}:${v}`,
    )
    .join('\u0000');
}
