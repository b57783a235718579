// The plan's cloud steps run through the push service: "push NAME@vN to TARGET" as a `push` job (resumable, followed
// in the CLI and the page) with exactly the secret or bundle and stage the runbook's command shows, and "promote" inline.
// A push is done only when every secret it names was written or already held the version: a conflict is not done.
import type { PushItemResult, PushJobParams, PushResult } from '../../../shared/push/push-types.js';
import { ref } from '../../../shared/rotation/commands.js';
import type { StepAction } from '../../../shared/rotation/types.js';
import type { PushService } from '../services/push-service.js';
import type { ExecutorRegistry, StepVerdict } from './step-executors.js';

type PushAction = Extract<StepAction, { op: 'push' }>;

/** The push the step's command makes: this one key at this version, to the same secret or bundle, at the same stage. */
export function pushParams(a: PushAction): PushJobParams {
  return {
    request: {
      keys: [{ name: a.key, version: a.version }],
      target: a.target,
      ...(a.bundle !== undefined ? { bundle: a.bundle } : a.secretName !== undefined ? { secretName: a.secretName } : {}),
      ...(a.stage ? { stage: a.stage } : {}),
    },
  };
}

const settledWell = (i: PushItemResult): boolean => i.outcome === 'written' || i.outcome === 'unchanged';

/** A finished push job passes when every secret holds the version; a conflict, a failure or a skipped secret fails. */
export function settlePush(result: unknown, a: PushAction): StepVerdict {
  const r = result as PushResult;
  const items = r.items ?? [];
  const bad = items.filter((i) => !settledWell(i));
  if (items.length === 0 || bad.length > 0) {
    const first = bad.find((i) => i.error)?.error;
    const why = bad.map((i) => `${i.secret}: ${i.error?.message ?? i.outcome}`).join('; ');
    return {
      ok: false,
      code: first?.code ?? 'check-failed',
      message: `${ref(a.key, a.version)} is not in place at ${a.target} (${why || 'nothing was pushed'}); look at "keyturn push status --to ${a.target}", then run the step again.`,
    };
  }
  const staged = a.stage === 'pending' ? ' staged AWSPENDING' : '';
  const held = items.map((i) => `${i.secret} ${i.outcome === 'written' ? 'written' : 'already held it'}`).join('; ');
  return { ok: true, summary: `${ref(a.key, a.version)} pushed to ${a.target}${staged}: ${held}.` };
}

export function pushExecutors(push: () => PushService): ExecutorRegistry {
  return {
    push: {
      mode: 'job',
      kind: 'push',
      params: (a) => pushParams(a),
      settle: (result, a) => settlePush(result, a),
    },
    promote: {
      mode: 'inline',
      async run(a, ctx) {
        const promoted = await push().promote({ target: a.target, keys: [{ name: a.key, version: a.version }] }, ctx.signal);
        const secrets = promoted.items.map((i) => i.secret).join(', ');
        return `${ref(a.key, a.version)} is AWSCURRENT in ${secrets} at ${promoted.target}; the version before it is AWSPREVIOUS.`;
      },
    },
  };
}
