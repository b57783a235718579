// The step-executor registry: one executor per plan operation that Keyturn can run itself. A plan marks a step
// automatic exactly when its operation is registered here, so a step becomes automatic the day its service lands
// (push, re-encryption, escrow register theirs) without a change to the planner. Short steps run in the caller's
// process; long ones (re-encryption, a push to many secrets) run as jobs, followed by id and settled from their result.
import { constants } from 'node:fs';
import { chmod, copyFile, stat } from 'node:fs/promises';
import { KeyturnError, type ErrorCode } from '../../../shared/domain/errors.js';
import { needsPeople } from '../../../shared/rotation/hands-only.js';
import type { StepAction, StepOp } from '../../../shared/rotation/types.js';
import type { VaultService } from '../services/vault-service.js';
import { dumpDatabase } from './db-dump.js';

export interface ExecutorContext {
  signal?: AbortSignal | undefined;
}

/** What a finished job means for its step. */
export type StepVerdict = { ok: true; summary: string } | { ok: false; code: ErrorCode; message: string };

/** A step done in the caller's process; it says what it did in a sentence (no value) or throws a KeyturnError. */
export interface InlineExecutor<A extends StepAction = StepAction> {
  mode: 'inline';
  run(action: A, ctx: ExecutorContext): Promise<string>;
}

/** A long step done by a job: the job kind and its (value-free, persisted) parameters, and how its result reads. */
export interface JobExecutor<A extends StepAction = StepAction> {
  mode: 'job';
  kind: string;
  params(action: A): unknown;
  /** Judges a finished job's result: a re-encryption with poison rows, or a verification below 100%, is not done. */
  settle(result: unknown, action: A): StepVerdict;
}

export type StepExecutor<A extends StepAction = StepAction> = InlineExecutor<A> | JobExecutor<A>;

export type ExecutorRegistry = { [K in StepOp]?: StepExecutor<Extract<StepAction, { op: K }>> };

export function runnableOps(registry: ExecutorRegistry): StepOp[] {
  return (Object.keys(registry) as StepOp[]).filter((op) => registry[op] !== undefined).sort();
}

/** The executor that runs an action; none for an action that needs people present (a first escrow), whatever is registered. */
export function executorFor(registry: ExecutorRegistry, action: StepAction): StepExecutor | undefined {
  if (needsPeople(action)) return undefined;
  return registry[action.op] as StepExecutor | undefined;
}

/** Steps that run through the vault and plain files: always available. The vault is built when a step first needs it. */
export function builtinExecutors(deps: { vault: () => VaultService; env?: NodeJS.ProcessEnv }): ExecutorRegistry {
  return {
    'new-version': {
      mode: 'inline',
      async run(a, ctx) {
        const before = await deps.vault().show(a.key);
        const expected = Math.max(...before.versions.map((v) => v.version)) + 1;
        // A plan made before someone else rotated the key would otherwise add a version it never planned for.
        if (expected !== a.version)
          throw new KeyturnError(
            'refused',
            `${a.key} would get v${expected}, but the plan expects v${a.version}: the key changed since the plan was made; plan again.`,
          );
        const { version } = await deps.vault().rotate(a.key, ctx.signal);
        return `Added ${a.key}@v${version}; it is current.`;
      },
    },
    retire: {
      mode: 'inline',
      async run(a, ctx) {
        await deps.vault().retire(a.key, a.version, true, ctx.signal);
        return `Retired ${a.key}@v${a.version}: deleted from the keychain.`;
      },
    },
    'backup-file': {
      mode: 'inline',
      async run(a) {
        try {
          // COPYFILE_EXCL: a backup is never overwritten, not even by a second run of the same step.
          await copyFile(a.path, a.copy, constants.COPYFILE_EXCL);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') throw new KeyturnError('already-exists', `${a.copy} already exists; Keyturn never overwrites a backup.`);
          if (code === 'ENOENT') throw new KeyturnError('unreadable-input', `${a.path} does not exist; check the path.`);
          throw new KeyturnError('io', `${a.path} could not be copied (${code ?? 'error'}).`);
        }
        await chmod(a.copy, (await stat(a.path)).mode & 0o777);
        return `Copied ${a.path} to ${a.copy}.`;
      },
    },
    'backup-db': {
      mode: 'inline',
      run: (a, ctx) => dumpDatabase(a, { ...(deps.env ? { env: deps.env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) }),
    },
  };
}
