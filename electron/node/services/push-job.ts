// Pushing many keys as a job: the request (names, versions, target; never a value) is the job's parameters, each
// settled secret is a checkpoint, and a resumed job pushes again, where the secrets already written plan as unchanged
// (the same idempotency token, so never a second version).
import type { z } from 'zod';
import { pushJobParams } from '../../../shared/ipc/features/push.schemas.js';
import type { JobKind } from '../jobs/job-kind.js';
import type { PushJobParams, PushResult } from '../../../shared/push/push-types.js';
import type { PushService } from './push-service.js';

export interface PushCheckpoint {
  /** Secrets written or found unchanged, with the version they hold. */
  settled: { secret: string; versionId: string }[];
}

export function createPushJobKind(push: () => PushService): JobKind<PushJobParams, PushCheckpoint, PushResult> {
  return {
    kind: 'push',
    unit: 'secrets',
    audit: {
      key: ({ request }) => request.keys.map((k) => k.name).join(','),
      detail: ({ request }, progress) =>
        `to ${request.target}: ${progress.done}${progress.total !== undefined ? ` of ${progress.total}` : ''} secrets settled`,
    },
    params: pushJobParams as z.ZodType<PushJobParams>,
    title: ({ request }) => `Push ${request.keys.length} key${request.keys.length === 1 ? '' : 's'} to ${request.target}`,
    async run(ctx) {
      const settled = [...(ctx.checkpoint?.settled ?? [])];
      // After a resume, what this job already wrote now plans as unchanged at the version it wrote.
      const confirmed = ctx.params.confirmed && {
        items: ctx.params.confirmed.items.map((item) => {
          const done = settled.find((s) => s.secret === item.secret);
          return done ? { secret: item.secret, action: 'unchanged' as const, remoteVersion: done.versionId } : item;
        }),
      };
      let total = ctx.params.confirmed?.items.length;
      // Secrets settle a few at a time; their checkpoints are committed one after another.
      let committing: Promise<void> = Promise.resolve();
      const result = await push().push(ctx.params.request, {
        signal: ctx.signal,
        ...(confirmed ? { confirmed } : {}),
        onProgress: (p) => {
          total = p.total;
        },
        afterItem: async (item) => {
          if (
            (item.outcome === 'written' || item.outcome === 'unchanged') &&
            item.versionId &&
            !settled.some((s) => s.secret === item.secret)
          ) {
            settled.push({ secret: item.secret, versionId: item.versionId });
          }
          const checkpoint = { settled: [...settled] };
          const progress = { done: settled.length, ...(total !== undefined ? { total } : {}), unit: 'secrets', phase: 'pushing' };
          committing = committing.then(() => ctx.commit(checkpoint, progress));
          await committing;
          if (item.outcome === 'failed' && item.error) ctx.note(`${item.secret}: ${item.error.message}`);
        },
      });
      // A pause or cancel: the secrets not reached are skipped; the runner settles the job and a resume goes on.
      ctx.signal.throwIfAborted();
      return result;
    },
  };
}
