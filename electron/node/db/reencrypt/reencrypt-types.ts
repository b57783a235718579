// The re-encryption job's parameters (persisted, value-free), its checkpoint (what a resume continues from) and its
// result (counts per table and column), plus the key ring it is given at run time (never persisted).
import { z } from 'zod';
import type { KeyValue } from '../pii-store.js';

export const REENCRYPT_BATCH_DEFAULT = 2000;
export const REENCRYPT_BATCH_MAX = 50_000;

export const reencryptParamsSchema = z.object({
  /** The variable holding the database URL, and the .env file to read it from (absolute), if any. */
  dbEnv: z.string().min(1),
  envFile: z.string().min(1).optional(),
  table: z.string().min(1),
  columns: z.array(z.string().min(1)).min(1),
  /** Key columns to page by, when the table has no primary key (they must form a NOT NULL unique key). */
  pk: z.array(z.string().min(1)).min(1).optional(),
  /** A schema name or a LIKE pattern (tenant_%); the connection's default schema when absent. */
  schema: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  batchSize: z.number().int().min(1).max(REENCRYPT_BATCH_MAX).default(REENCRYPT_BATCH_DEFAULT),
  /** Where the keys come from, by name only: a keychain key (all its versions) or environment variables. */
  keyName: z.string().min(1).max(200).optional(),
  newKeyEnv: z.string().min(1).max(200).optional(),
  /** A variable holding one old key or a comma-separated list. */
  oldKeyEnv: z.string().min(1).max(200).optional(),
  /** The caller's folder: relative SQLite paths and TLS files resolve against it when no .env file is given. */
  cwd: z.string().min(1).max(4096).optional(),
});
export type ReencryptParams = z.infer<typeof reencryptParamsSchema>;

/** One key of the ring: a label for reports ("pii-enc-key@v2", "env NEW_PII_KEY") and the key text, in memory only. */
export interface RingKey {
  label: string;
  value: string;
}

export interface ReencryptKeys {
  newKey: RingKey;
  oldKeys: RingKey[];
}

export type { ColumnCounts, EncodedKey, ReencryptResult, RowReport, TableCounts } from '../../../../shared/domain/reencrypt.js';
import type { ColumnCounts, EncodedKey, TableCounts } from '../../../../shared/domain/reencrypt.js';

export interface ReencryptCheckpoint {
  version: 1;
  /** The key columns paging goes by (the same for every schema of the job). */
  key: string[];
  /** Tables resolved when the job started (a schema pattern is not re-evaluated on resume). */
  tables: TableCounts[];
  /** The table being worked on. */
  index: number;
  /** The last key of the last committed batch of that table; null before its first batch. */
  after: EncodedKey[] | null;
  finished: boolean;
  keyLabels: { newKey: string; oldKeys: string[] };
}

export function encodeKey(values: KeyValue[]): EncodedKey[] {
  return values.map((v) => {
    if (typeof v === 'string') return { s: v };
    if (typeof v === 'number') return { n: v };
    if (typeof v === 'bigint') return { i: v.toString() };
    return { b: Buffer.from(v).toString('base64') };
  });
}

export function decodeKey(values: EncodedKey[]): KeyValue[] {
  return values.map((v) => ('s' in v ? v.s : 'n' in v ? v.n : 'i' in v ? BigInt(v.i) : Buffer.from(v.b, 'base64')));
}

export function emptyColumnCounts(): ColumnCounts {
  return { rotated: 0, current: 0, nulls: 0, empty: 0, poison: 0, byKey: {} };
}
