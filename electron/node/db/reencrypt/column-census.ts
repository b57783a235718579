// Scan and verify: read-only passes that say, per column, which key opens each stored token. Scan first finds the
// columns that hold Fernet tokens (by sampling text, bytea and BLOB columns); verify counts the rows the new key alone
// opens and lists the rest by key, which is what makes retiring the old key version safe or not.
import { KeyturnError } from '../../../../shared/domain/errors.js';
import { parseFernetTokenLayout } from '../../../../shared/formats/fernet-format.js';
import { decodeTokenText } from '../../crypto/token-text.js';
import { tokenBytes } from '../../crypto/fernet-core.js';
import type { PiiStore, TableInfo, TableRef } from '../pii-store.js';
import { CryptoPool } from './crypto-pool.js';
import { resolveTables, schemaPattern } from './resolve-tables.js';
import type { TableCensus } from '../../../../shared/domain/reencrypt.js';
import { emptyColumnCounts, encodeKey, REENCRYPT_BATCH_DEFAULT, type ReencryptKeys } from './reencrypt-types.js';
import { CELL, cellText } from './token-cells.js';

export interface CensusOptions {
  keys: ReencryptKeys;
  workers?: number;
  batchSize?: number;
  signal?: AbortSignal;
  /** How many rows not under the new key are listed per column (the count is always exact). */
  listLimit?: number;
}

export type { ColumnCensus, TableCensus } from '../../../../shared/domain/reencrypt.js';

const SAMPLE = 50;

/** True when at least half of the sampled non-empty values have the layout of a Fernet token. */
export function looksLikeTokens(values: (string | Buffer | null)[]): boolean {
  const texts = values.map(cellText).filter((t): t is string => t !== null && t !== '');
  if (texts.length === 0) return false;
  const tokens = texts.filter((t) => {
    const raw = decodeTokenText(t.trim());
    return raw !== null && parseFernetTokenLayout(tokenBytes(raw)) !== null;
  });
  return tokens.length * 2 >= texts.length;
}

function usableKey(info: TableInfo): string[] | null {
  return info.primaryKey ?? info.uniqueKeys[0] ?? null;
}

async function countTable(
  store: PiiStore,
  pool: CryptoPool,
  ref: TableRef,
  key: string[],
  columns: string[],
  labels: string[],
  options: CensusOptions,
): Promise<TableCensus> {
  const census: TableCensus = {
    ...ref,
    key,
    rows: 0,
    columns: columns.map((column) => ({ column, counts: emptyColumnCounts(), others: [] })),
  };
  const limit = options.listLimit ?? 100;
  const size = options.batchSize ?? REENCRYPT_BATCH_DEFAULT;
  const query = { ref, key, columns };
  let after = null;
  for (;;) {
    if (options.signal?.aborted) throw new KeyturnError('cancelled', 'The scan was cancelled.');
    const rows = await store.readBatch(query, after, size);
    if (rows.length === 0) break;
    const results = await pool.run(
      'identify',
      rows.flatMap((r) => r.cells.map(cellText)),
    );
    rows.forEach((row, r) => {
      census.rows += 1;
      census.columns.forEach((col, c) => {
        const i = r * columns.length + c;
        const code = results.codes[i];
        const counts = col.counts;
        if (code === CELL.null) counts.nulls += 1;
        else if (code === CELL.empty) counts.empty += 1;
        else if (code === CELL.current) {
          counts.current += 1;
          counts.byKey[labels[0]!] = (counts.byKey[labels[0]!] ?? 0) + 1;
        } else {
          const opener = code === CELL.poison ? 'poison' : (labels[results.from[i]!] ?? 'an old key');
          if (code === CELL.poison) counts.poison += 1;
          else {
            counts.rotated += 1;
            counts.byKey[opener] = (counts.byKey[opener] ?? 0) + 1;
          }
          if (col.others.length < limit) col.others.push({ key: encodeKey(row.key), opener });
        }
      });
    });
    after = rows[rows.length - 1]!.key;
    if (rows.length < size) break;
  }
  return census;
}

function poolFor(keys: ReencryptKeys, workers?: number): { pool: CryptoPool; labels: string[] } {
  return {
    pool: new CryptoPool([keys.newKey.value, ...keys.oldKeys.map((k) => k.value)], workers),
    labels: [keys.newKey.label, ...keys.oldKeys.map((k) => k.label)],
  };
}

/**
 * Finds token columns in one table or every table of the schemas, then counts each column fully. In the counts,
 * `rotated` means "an old key opens it" (what a run would re-encrypt) and `current` "the new key opens it".
 */
export async function scanTokens(
  store: PiiStore,
  selection: { table?: string; schema?: string },
  options: CensusOptions,
): Promise<TableCensus[]> {
  const schemas = selection.schema ? await store.schemas(schemaPattern(selection.schema)) : [await store.defaultSchema()];
  const { pool, labels } = poolFor(options.keys, options.workers);
  try {
    const found: TableCensus[] = [];
    for (const schema of schemas) {
      const tables = selection.table ? (await store.tables(schema)).filter((t) => t === selection.table) : await store.tables(schema);
      for (const table of tables) {
        const info = await store.describe({ schema, table });
        const columns: string[] = [];
        for (const column of info.columns.filter((c) => c.kind !== 'other')) {
          if (looksLikeTokens(await store.sample({ schema, table }, column.name, SAMPLE))) columns.push(column.name);
        }
        if (columns.length === 0) continue;
        const key = usableKey(info);
        if (!key) {
          found.push({
            schema,
            table,
            key: null,
            rows: 0,
            columns: columns.map((column) => ({ column, counts: emptyColumnCounts(), others: [] })),
            note: 'no primary or unique key: sampled only; re-encrypting it needs --pk',
          });
          continue;
        }
        found.push(await countTable(store, pool, { schema, table }, key, columns, labels, options));
      }
    }
    if (selection.table && found.length === 0 && !(await anyTable(store, schemas, selection.table)))
      throw new KeyturnError('not-found', `There is no table ${selection.table} on ${store.description}.`);
    return found;
  } finally {
    await pool.close();
  }
}

async function anyTable(store: PiiStore, schemas: string[], table: string): Promise<boolean> {
  for (const schema of schemas) if ((await store.tables(schema)).includes(table)) return true;
  return false;
}

/** Counts, per column of a job's table(s), the rows the new key alone opens, and lists the others by key. */
export async function verifyTokens(
  store: PiiStore,
  selection: { table: string; columns: string[]; pk?: string[]; schema?: string },
  options: CensusOptions,
): Promise<TableCensus[]> {
  const resolved = await resolveTables(store, selection);
  const { pool, labels } = poolFor(options.keys, options.workers);
  try {
    const out: TableCensus[] = [];
    for (const ref of resolved.refs) out.push(await countTable(store, pool, ref, resolved.key, selection.columns, labels, options));
    return out;
  } finally {
    await pool.close();
  }
}

/** Every token of every column opens under the new key alone (NULLs and empty values aside). */
export function allUnderNewKey(census: TableCensus[]): boolean {
  return census.every((t) => t.key !== null && t.columns.every((c) => c.counts.rotated === 0 && c.counts.poison === 0));
}
