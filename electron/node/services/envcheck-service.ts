// The .env checker use case: finds files, combines profile/schema/example rules, checks and fixes files. No value leaves it.
import { listProfiles } from '../../../shared/envcheck/profiles.js';
import type { EnvCheckInput, EnvFixInput, EnvFixResult, EnvReport } from '../../../shared/envcheck/report.js';
import type { EnvProfile } from '../../../shared/envcheck/types.js';
import { createCheckJob, type EnvCheckCheckpoint, type EnvCheckJobParams } from '../envcheck/check-tree.js';
import type { JobKind } from '../jobs/job-kind.js';
import { memoryContext, type MemoryRunOptions } from '../jobs/memory-context.js';
import type { Audited } from './audited.js';
import { fixEnvFile } from './env-fix.js';
import type { GenerateService } from './generate-service.js';
import type { ValueIndex } from './value-index.js';
import type { VaultService } from './vault-service.js';

export interface EnvCheckService {
  profiles(): EnvProfile[];
  /** Checks in this process, without a job file (CI, small checks); the same steps as the job. */
  check(input: EnvCheckInput, options?: MemoryRunOptions): Promise<EnvReport>;
  fix(input: EnvFixInput): Promise<EnvFixResult>;
  /** The check as a resumable job, for large trees and the UI (a closed tab does not stop it). */
  readonly checkJob: JobKind<EnvCheckJobParams, EnvCheckCheckpoint, EnvReport>;
}

export interface EnvCheckDeps {
  generate: GenerateService;
  /** `fix --store-prefix` stores generated values through it (and lists the names that are taken). */
  vault: Pick<VaultService, 'store' | 'list'>;
  /** Audit lines for writes into .env files; absent in tests of the checker alone. */
  audited?: Audited;
  /** The vault's index of stored values by fingerprint: a .env value equal to a retiring version is reported. */
  values?: () => Promise<ValueIndex>;
  cwd?: () => string;
  platform?: NodeJS.Platform;
}

export function createEnvCheckService(deps: EnvCheckDeps): EnvCheckService {
  const cwdOf = deps.cwd ?? (() => process.cwd());

  const checkJob = createCheckJob({ platform: deps.platform, values: deps.values });
  return {
    profiles: listProfiles,
    check: (input, options = {}) => checkJob.run(memoryContext({ ...input, cwd: cwdOf() }, options)),
    fix: (input) => fixEnvFile({ generate: deps.generate, vault: deps.vault, audited: deps.audited, cwd: cwdOf() }, input),
    checkJob,
  };
}
