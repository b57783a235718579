// The plan's data steps run through the re-encryption service: "re-encrypt TABLE" as a `reencrypt` job (resumable,
// followed in the CLI and the page), "verify 100%" as a census that passes only when the new key alone opens every
// token. The key ring comes from the keychain by name: the current version (the one the plan added) encrypts.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { ReencryptResult } from '../../../shared/domain/reencrypt.js';
import type { StepAction } from '../../../shared/rotation/types.js';
import type { ReencryptParams } from '../db/reencrypt/reencrypt-types.js';
import type { ReencryptService } from '../services/reencrypt-service.js';
import type { ExecutorRegistry, StepVerdict } from './step-executors.js';

type DataAction = Extract<StepAction, { op: 'reencrypt' | 'reencrypt-verify' }>;

const n = (x: number): string => x.toLocaleString('en-US');

function source(a: DataAction): Pick<ReencryptParams, 'dbEnv' | 'envFile' | 'table' | 'columns' | 'pk' | 'keyName'> {
  return {
    dbEnv: a.urlVar,
    ...(a.envFile ? { envFile: a.envFile } : {}),
    table: a.table,
    columns: a.columns,
    ...(a.pk ? { pk: [a.pk] } : {}),
    keyName: a.key,
  };
}

/** A finished job passes when every row of the table is under the new key: no poison token, nothing left behind. */
export function settleReencryption(result: unknown, a: DataAction): StepVerdict {
  const r = result as ReencryptResult;
  const tables = r.tables ?? [];
  const rows = tables.reduce((sum, t) => sum + t.rows, 0);
  const written = tables.reduce((sum, t) => sum + t.written, 0);
  const poison = tables.reduce((sum, t) => sum + t.poisonRows, 0);
  if (r.dryRun || !r.finished)
    return { ok: false, code: 'check-failed', message: `The job over ${a.table} did not finish; run the step again to continue it.` };
  if (poison > 0 || r.safeToRetire === false)
    return {
      ok: false,
      code: 'check-failed',
      message: `${n(poison)} ${poison === 1 ? 'row' : 'rows'} of ${a.table} ${poison === 1 ? 'holds' : 'hold'} tokens no key opens (poison), listed by key in the job's output; look at them before going on.`,
    };
  return {
    ok: true,
    summary: `${a.table}: ${n(rows)} rows read, ${n(written)} re-encrypted under ${r.keyLabels.newKey} (from ${r.keyLabels.oldKeys.join(', ') || 'no old key'}), 0 poison.`,
  };
}

export function reencryptExecutors(reencrypt: () => ReencryptService): ExecutorRegistry {
  return {
    reencrypt: {
      mode: 'job',
      kind: 'reencrypt',
      params: (a) => ({ ...source(a), dryRun: false }),
      settle: (result, a) => settleReencryption(result, a),
    },
    'reencrypt-verify': {
      mode: 'inline',
      async run(a, ctx) {
        const report = await reencrypt().verify(source(a), ctx.signal ? { signal: ctx.signal } : {});
        const columns = report.tables.flatMap((t) =>
          t.columns.map((c) => {
            const tokens = c.counts.current + c.counts.rotated + c.counts.poison;
            return { name: `${t.table}.${c.column}`, current: c.counts.current, tokens };
          }),
        );
        if (!report.safeToRetire) {
          const short = columns.filter((c) => c.current < c.tokens).map((c) => `${c.name} ${n(c.current)} of ${n(c.tokens)}`);
          throw new KeyturnError(
            'check-failed',
            `Not every token opens under ${report.keyLabels.newKey} alone (${short.join('; ')}): run the re-encryption step again, and do not go on.`,
          );
        }
        return `${columns.map((c) => `${c.name} ${n(c.tokens)} of ${n(c.tokens)}`).join('; ')}: 100% under ${report.keyLabels.newKey} alone.`;
      },
    },
  };
}
