// Re-encryption as the CLI, the UI and the job files see it: counts per table and column, rows to look at by key,
// scan and verify reports. Counts, key labels and row keys only: never a value, a token or a plaintext.

export interface ColumnCounts {
  /** Tokens re-encrypted under the new key (or, in a dry run, that would be). */
  rotated: number;
  /** Tokens the new key already opened: left as they were. */
  current: number;
  nulls: number;
  /** Empty strings or empty byte strings: not tokens, left alone. */
  empty: number;
  /** Tokens no key opens: never changed, their rows listed in the job output. */
  poison: number;
  /** Which old key opened the rotated tokens, by label. */
  byKey: Record<string, number>;
}

export interface TableCounts {
  schema: string;
  table: string;
  /** Rows in the table when the job started (for progress). */
  total: number;
  /** Rows read and settled. */
  rows: number;
  /** Rows updated. */
  written: number;
  /** Rows an application changed between our read and our write: re-read under a lock and settled again. */
  conflicts: number;
  /** Rows deleted by the application during the run. */
  gone: number;
  /** Rows with at least one poison token. */
  poisonRows: number;
  columns: Record<string, ColumnCounts>;
}

/** Key values in a job file: JSON cannot hold bigints or bytes as they are. */
export type EncodedKey = { s: string } | { n: number } | { i: string } | { b: string };

export interface ReencryptResult {
  dryRun: boolean;
  /**
   * Every row was settled under the new key: finished, not a dry run, no poison token, no row left changed by the
   * application under an old key. `keyturn reencrypt verify` re-checks the tables before the old version is retired.
   */
  safeToRetire?: boolean;
  /** False when the job stopped early (pause, cancel). */
  finished: boolean;
  key: string[];
  tables: TableCounts[];
  keyLabels: { newKey: string; oldKeys: string[] };
}

/** A record of the job's output file: rows a person has to look at, by key, never with a value. */
export interface RowReport {
  type: 'poison' | 'gone';
  schema: string;
  table: string;
  key: EncodedKey[];
  /** For poison: the columns no key opens. */
  columns?: string[];
}

export interface ColumnCensus {
  column: string;
  /** current = opened by the new key alone; rotated = opened by an old key; byKey counts per key label (scan). */
  counts: ColumnCounts;
  /** Rows whose token the new key does not open: their key, and the old key's label or "poison". */
  others: { key: EncodedKey[]; opener: string }[];
}

export interface TableCensus {
  schema: string;
  table: string;
  key: string[] | null;
  rows: number;
  columns: ColumnCensus[];
  /** Why counts are missing (a table with no usable key is only sampled). */
  note?: string;
}

export interface CensusReport {
  /** Where (never the password). */
  database: string;
  keyLabels: { newKey: string; oldKeys: string[] };
  tables: TableCensus[];
  /** verify: every token of every column opens under the new key alone (the old version can be retired). */
  safeToRetire?: boolean;
}
