// The step-executor registry: one executor per plan operation that Keyturn can run itself. A plan marks a step
// automatic exactly when its operation is registered here, so a step becomes automatic the day its service lands
// (push, re-encryption, escrow register theirs) without a change to the planner.
import { constants } from 'node:fs';
import { chmod, copyFile, stat } from 'node:fs/promises';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { StepAction, StepOp } from '../../../shared/rotation/types.js';
import type { VaultService } from '../services/vault-service.js';
import { dumpDatabase } from './db-dump.js';

export interface ExecutorContext {
  signal?: AbortSignal | undefined;
}

/** Runs one step's action and says what it did in a sentence (no value); throws a KeyturnError when it fails. */
export type StepExecutor<A extends StepAction = StepAction> = (action: A, ctx: ExecutorContext) => Promise<string>;

export type ExecutorRegistry = { [K in StepOp]?: StepExecutor<Extract<StepAction, { op: K }>> };

export function runnableOps(registry: ExecutorRegistry): StepOp[] {
  return (Object.keys(registry) as StepOp[]).filter((op) => registry[op] !== undefined).sort();
}

export function executorFor(registry: ExecutorRegistry, action: StepAction): StepExecutor | undefined {
  return registry[action.op] as StepExecutor | undefined;
}

/** The executors the services on main support today. */
export function builtinExecutors(deps: { vault: VaultService; env?: NodeJS.ProcessEnv }): ExecutorRegistry {
  return {
    'new-version': async (a, ctx) => {
      const before = await deps.vault.show(a.key);
      const expected = Math.max(...before.versions.map((v) => v.version)) + 1;
      // A plan made before someone else rotated the key would otherwise add a version it never planned for.
      if (expected !== a.version)
        throw new KeyturnError(
          'refused',
          `${a.key} would get v${expected}, but the plan expects v${a.version}: the key changed since the plan was made; plan again.`,
        );
      const { version } = await deps.vault.rotate(a.key, ctx.signal);
      return `Added ${a.key}@v${version}; it is current.`;
    },
    retire: async (a, ctx) => {
      await deps.vault.retire(a.key, a.version, true, ctx.signal);
      return `Retired ${a.key}@v${a.version}.`;
    },
    'backup-file': async (a) => {
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
    'backup-db': (a, ctx) => dumpDatabase(a, { ...(deps.env ? { env: deps.env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) }),
  };
}
