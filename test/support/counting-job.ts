// A job kind for testing the job runner itself: it "processes" items 0..total-1 in batches, writing one output record
// per item and committing after each batch, optionally pausing between items so a test can stop it part-way.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { KeyturnError } from '../../shared/domain/errors.js';
import type { JobKind } from '../../electron/node/jobs/job-kind.js';

export interface CountParams {
  total: number;
  batch: number;
  /** Wait this long per item (so kill -9 lands mid-run). */
  itemMs: number;
  /** Throw a KeyturnError when reaching this item (once per run). */
  failAt?: number;
}

export const countingJob: JobKind<CountParams, { next: number }, { sum: number; items: number }> = {
  kind: 'count',
  unit: 'items',
  params: z.strictObject({
    total: z.number().int().min(0),
    batch: z.number().int().min(1),
    itemMs: z.number().min(0),
    failAt: z.number().int().optional(),
  }),
  title: (p) => `Count to ${p.total}`,
  audit: { key: () => 'counter', detail: (_p, progress) => `${progress.done} items` },
  async run(ctx) {
    const { total, batch, itemMs, failAt } = ctx.params;
    for (let next = ctx.checkpoint?.next ?? 0; next < total; next += batch) {
      ctx.signal.throwIfAborted();
      const end = Math.min(total, next + batch);
      for (let i = next; i < end; i++) {
        if (i === failAt) throw new KeyturnError('io', `Item ${i} could not be processed.`);
        if (itemMs > 0) await sleep(itemMs);
        await ctx.output({ item: i });
      }
      await ctx.commit({ next: end }, { done: end, total, unit: 'items', phase: 'counting' });
    }
    let sum = 0;
    let items = 0;
    for await (const record of ctx.readOutput()) {
      sum += (record as { item: number }).item;
      items += 1;
    }
    return { sum, items };
  },
};
