// The re-encryption job: keyset batches in key order, crypto in worker threads one batch ahead of the writes, each
// batch one compare-and-set transaction followed by a checkpoint. Resume re-reads from the last committed key; rows a
// crash left written but not checkpointed open under the new key and are skipped, so none is encrypted twice.
import type { JobProgress } from '../../../../shared/domain/job.js';
import { KeyturnError } from '../../../../shared/domain/errors.js';
import { FernetKeyRing } from '../../crypto/fernet-key-ring.js';
import type { JobContext } from '../../jobs/job-kind.js';
import { keyId, type BatchQuery, type BatchRow, type CellValue, type PiiStore, type RowUpdate } from '../pii-store.js';
import { CryptoPool } from './crypto-pool.js';
import { resolveTables } from './resolve-tables.js';
import { processCells, type CellResults } from './rotate-cells.js';
import { CELL, cellLike, cellText } from './token-cells.js';
import {
  decodeKey,
  emptyColumnCounts,
  encodeKey,
  type ReencryptCheckpoint,
  type ReencryptKeys,
  type ReencryptParams,
  type ReencryptResult,
  type RowReport,
  type TableCounts,
} from './reencrypt-types.js';

export interface ReencryptDeps {
  openStore(): Promise<PiiStore>;
  keys(): Promise<ReencryptKeys>;
  /** Crypto worker threads (default: one per core, at most 4). */
  workers?: number;
}

/** One row on its way through a batch: what was read, what each cell is, and what to write. */
interface RowState {
  key: BatchRow['key'];
  cells: CellValue[];
  codes: number[];
  from: number[];
  next: CellValue[] | null;
  gone: boolean;
}

export type ReencryptContext = JobContext<ReencryptParams, ReencryptCheckpoint>;

export function resultOf(params: ReencryptParams, checkpoint: ReencryptCheckpoint): ReencryptResult {
  const clean = checkpoint.tables.every((t) => t.poisonRows === 0);
  return {
    dryRun: params.dryRun,
    // Settled under the new key: finished, not a dry run, no poison. `reencrypt verify` re-checks before retiring.
    safeToRetire: checkpoint.finished && !params.dryRun && clean,
    finished: checkpoint.finished,
    key: checkpoint.key,
    tables: checkpoint.tables,
    keyLabels: checkpoint.keyLabels,
  };
}

function rowStates(rows: BatchRow[], width: number, results: CellResults, dryRun: boolean): RowState[] {
  return rows.map((row, r) => {
    const codes: number[] = [];
    const from: number[] = [];
    let next: CellValue[] | null = null;
    for (let c = 0; c < width; c += 1) {
      const i = r * width + c;
      codes.push(results.codes[i]!);
      from.push(results.from[i]!);
      const token = results.tokens[i];
      if (!dryRun && results.codes[i] === CELL.older && token) {
        next ??= [...row.cells];
        next[c] = cellLike(row.cells[c]!, token);
      }
    }
    return { key: row.key, cells: row.cells, codes, from, next, gone: false };
  });
}

/** Adds a settled batch to the table's counts; returns the rows a person has to look at. */
function tally(table: TableCounts, columns: string[], labels: string[], states: RowState[]): RowReport[] {
  const reports: RowReport[] = [];
  for (const state of states) {
    table.rows += 1;
    if (state.gone) {
      table.gone += 1;
      reports.push({ type: 'gone', schema: table.schema, table: table.table, key: encodeKey(state.key) });
      continue;
    }
    const poisoned: string[] = [];
    state.codes.forEach((code, c) => {
      const counts = (table.columns[columns[c]!] ??= emptyColumnCounts());
      if (code === CELL.null) counts.nulls += 1;
      else if (code === CELL.empty) counts.empty += 1;
      else if (code === CELL.current) counts.current += 1;
      else if (code === CELL.poison) {
        counts.poison += 1;
        poisoned.push(columns[c]!);
      } else {
        counts.rotated += 1;
        const label = labels[state.from[c]!] ?? `key #${state.from[c]}`;
        counts.byKey[label] = (counts.byKey[label] ?? 0) + 1;
      }
    });
    if (poisoned.length > 0) {
      table.poisonRows += 1;
      reports.push({ type: 'poison', schema: table.schema, table: table.table, key: encodeKey(state.key), columns: poisoned });
    }
  }
  return reports;
}

class RateMeter {
  readonly #samples: { t: number; done: number }[] = [];
  sample(done: number): number | undefined {
    const t = performance.now();
    this.#samples.push({ t, done });
    while (this.#samples.length > 2 && t - this.#samples[0]!.t > 10_000) this.#samples.shift();
    const first = this.#samples[0]!;
    return t > first.t ? ((done - first.done) * 1000) / (t - first.t) : undefined;
  }
}

export async function runReencryption(ctx: ReencryptContext, deps: ReencryptDeps): Promise<ReencryptResult> {
  const { params } = ctx;
  if (ctx.checkpoint?.finished) return resultOf(params, ctx.checkpoint);
  const keys = await deps.keys();
  const labels = [keys.newKey.label, ...keys.oldKeys.map((k) => k.label)];
  if (ctx.checkpoint && ctx.checkpoint.keyLabels.newKey !== keys.newKey.label)
    throw new KeyturnError(
      'refused',
      `This job re-encrypts to ${ctx.checkpoint.keyLabels.newKey}, but the new key now is ${keys.newKey.label}. Finish it with the same key, or start a new job.`,
    );
  const ring = new FernetKeyRing([keys.newKey.value, ...keys.oldKeys.map((k) => k.value)]);
  // Workers start (and load their code) while the database connects and the tables are looked up.
  const pool = new CryptoPool([keys.newKey.value, ...keys.oldKeys.map((k) => k.value)], deps.workers);
  let store: PiiStore | null = null;
  try {
    store = await deps.openStore();
    const resolved = await resolveTables(store, params);
    const checkpoint: ReencryptCheckpoint = ctx.checkpoint ?? {
      version: 1,
      key: resolved.key,
      tables: [],
      index: 0,
      after: null,
      finished: false,
      keyLabels: { newKey: keys.newKey.label, oldKeys: keys.oldKeys.map((k) => k.label) },
    };
    if (!ctx.checkpoint) {
      for (const schema of resolved.skipped) ctx.note(`Schema ${schema} has no table ${params.table}; skipped.`);
      for (const ref of resolved.refs) {
        const columns = Object.fromEntries(params.columns.map((c) => [c, emptyColumnCounts()]));
        checkpoint.tables.push({
          ...ref,
          total: await store.countRows(ref),
          rows: 0,
          written: 0,
          conflicts: 0,
          gone: 0,
          poisonRows: 0,
          columns,
        });
      }
    } else if (checkpoint.key.join('\u0000') !== resolved.key.join('\u0000')) {
      throw new KeyturnError('refused', `The key columns of ${params.table} changed since the job started; start a new job.`);
    }
    const query = (t: TableCounts): BatchQuery => ({
      ref: { schema: t.schema, table: t.table },
      key: checkpoint.key,
      columns: params.columns,
    });
    // Refuse a read-only user before the first batch, not in the middle of one.
    if (!params.dryRun) for (const t of checkpoint.tables.slice(checkpoint.index)) await store.checkWritable(query(t));

    const meter = new RateMeter();
    const progress = (): JobProgress => {
      const done = checkpoint.tables.reduce((n, t) => n + t.rows, 0);
      const total = checkpoint.tables.reduce((n, t) => n + Math.max(t.total, t.rows), 0);
      const table = checkpoint.tables[Math.min(checkpoint.index, checkpoint.tables.length - 1)];
      const rate = meter.sample(done);
      const where = table ? `${checkpoint.tables.length > 1 ? `${table.schema}.` : ''}${table.table}` : params.table;
      return {
        done,
        total,
        unit: 'rows',
        phase: `${checkpoint.finished ? 'finished' : params.dryRun ? 'dry run of' : 're-encrypting'} ${where} (${checkpoint.keyLabels.oldKeys.join(', ') || 'no old key'} -> ${checkpoint.keyLabels.newKey})`,
        ...(rate !== undefined ? { rate: Math.round(rate) } : {}),
        ...(rate ? { etaSeconds: Math.max(0, Math.round((total - done) / rate)) } : {}),
      };
    };
    await ctx.commit(checkpoint, progress());

    const width = params.columns.length;
    const depth = Math.max(2, (deps.workers ?? 2) + 1);

    // A pause or cancel takes effect after a commit: the runner settles the job when run() throws the abort reason.
    while (checkpoint.index < checkpoint.tables.length) {
      ctx.signal.throwIfAborted();
      const table = checkpoint.tables[checkpoint.index]!;
      const q = query(table);
      let readAfter = checkpoint.after ? decodeKey(checkpoint.after) : null;
      let exhausted = false;
      let readChain: Promise<unknown> = Promise.resolve();
      const queue: Promise<RowState[] | null>[] = [];
      const schedule = (): void => {
        const read = readChain.then(async () => {
          if (exhausted) return [];
          const rows = await store!.readBatch(q, readAfter, params.batchSize);
          if (rows.length < params.batchSize) exhausted = true;
          if (rows.length > 0) readAfter = rows[rows.length - 1]!.key;
          return rows;
        });
        readChain = read.catch(() => undefined);
        const prepared = read.then(async (rows) => {
          if (rows.length === 0) return null;
          const results = await pool.run(
            params.dryRun ? 'identify' : 'rotate',
            rows.flatMap((r) => r.cells.map(cellText)),
          );
          return rowStates(rows, width, results, params.dryRun);
        });
        // Awaited in order below; until then a failure must not count as unhandled.
        prepared.catch(() => undefined);
        queue.push(prepared);
      };
      for (let i = 0; i < depth; i += 1) schedule();

      for (;;) {
        const states = await queue.shift()!;
        if (!states) break;
        if (!ctx.signal.aborted) schedule();
        if (!params.dryRun) {
          const byKey = new Map(states.map((s) => [keyId(s.key), s]));
          const updates: RowUpdate[] = states.filter((s) => s.next).map((s) => ({ key: s.key, expected: s.cells, next: s.next! }));
          const written = await store!.writeBatch(q, updates, (current) => {
            // Rows an application changed after our read, now locked: decide again from what they hold now.
            const results = processCells(
              ring,
              current.flatMap((r) => r.cells.map(cellText)),
              'rotate',
            );
            const again = rowStates(current, width, results, false);
            for (const state of again) byKey.set(keyId(state.key), state);
            return again.filter((s) => s.next).map((s) => ({ key: s.key, expected: s.cells, next: s.next! }));
          });
          for (const key of written.gone) byKey.get(keyId(key))!.gone = true;
          table.written += written.written + written.retried;
          table.conflicts += written.conflicts;
          states.splice(0, states.length, ...states.map((s) => byKey.get(keyId(s.key))!));
        }
        for (const report of tally(table, params.columns, labels, states)) await ctx.output(report);
        checkpoint.after = encodeKey(states[states.length - 1]!.key);
        await ctx.commit(checkpoint, progress());
        ctx.signal.throwIfAborted();
      }
      checkpoint.index += 1;
      checkpoint.after = null;
      if (checkpoint.index === checkpoint.tables.length) checkpoint.finished = true;
      await ctx.commit(checkpoint, progress());
    }
    return resultOf(params, checkpoint);
  } finally {
    await pool.close();
    await store?.close();
  }
}
