// The .env checker use case: finds files, combines profile/schema/example rules, checks and fixes files. No value leaves it.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey } from '../../../shared/domain/generated-key.js';
import { assertKeyName } from '../../../shared/domain/key-names.js';
import { checkEnvText } from '../../../shared/envcheck/check-file.js';
import { applyFix, planFix } from '../../../shared/envcheck/fix-plan.js';
import { listProfiles } from '../../../shared/envcheck/profiles.js';
import type { EnvCheckInput, EnvFixChange, EnvFixInput, EnvFixResult, EnvReport } from '../../../shared/envcheck/report.js';
import type { EnvProfile } from '../../../shared/envcheck/types.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { createCheckJob, type EnvCheckCheckpoint, type EnvCheckJobParams } from '../envcheck/check-tree.js';
import { readEnvFile, type EnvFileContent } from '../envcheck/read-env-file.js';
import { RuleContext, shellQuote } from '../envcheck/rule-context.js';
import { writeBackup, writeFileAtomic } from '../files/atomic-write.js';
import type { JobKind } from '../jobs/job-kind.js';
import { memoryContext, type MemoryRunOptions } from '../jobs/memory-context.js';
import type { GenerateService } from './generate-service.js';
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
  /** `fix --store-prefix` stores generated values through it. */
  vault: Pick<VaultService, 'store'>;
  cwd?: () => string;
  platform?: NodeJS.Platform;
}

function kebab(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}

export function createEnvCheckService(deps: EnvCheckDeps): EnvCheckService {
  const cwdOf = deps.cwd ?? (() => process.cwd());

  async function fix(input: EnvFixInput): Promise<EnvFixResult> {
    const ctx = await RuleContext.load(cwdOf(), input);
    const path = resolve(ctx.cwd, input.file);
    const shown = ctx.display(path);
    let original: EnvFileContent | null = null;
    try {
      original = await readEnvFile(path, shown);
    } catch (error) {
      const missing = (await stat(path).catch(() => null)) === null;
      const parentOk = (await stat(dirname(path)).catch(() => null))?.isDirectory() === true;
      if (!(missing && parentOk)) throw error;
    }
    const text = original?.text ?? '';
    const parsed = parseEnv(text);
    if (parsed.problems.length > 0) {
      throw new KeyturnError(
        'invalid-input',
        `${shown} has lines python-dotenv cannot read (line ${parsed.problems.map((p) => p.line).join(', ')}); fix them first (see \`keyturn env check ${shellQuote(shown)}\`) so Keyturn edits the file it understands.`,
      );
    }
    const rules = await ctx.rulesFor(path);
    const regenerate = [...new Set(input.regenerate ?? [])];
    const plan = planFix(parsed, rules, { regenerate, withDefaults: input.withDefaults === true });

    // What fix leaves alone, so the user knows what to do next: every error on a variable it does not touch.
    const planned = new Set(plan.steps.map((s) => s.variable));
    const alreadyListed = new Set(plan.unfilled.map((u) => u.variable));
    const leftovers = checkEnvText({ text, role: 'env', rules, fixCommand: ctx.fixCommand(shown) }).findings.filter(
      (f) => f.variable !== undefined && !planned.has(f.variable) && !alreadyListed.has(f.variable) && f.severity === 'error',
    );
    const unfilled = [
      ...plan.unfilled,
      ...leftovers.map((f) => ({
        variable: f.variable!,
        reason: f.fix?.command && !f.message.includes(f.fix.command) ? `${f.message} Run \`${f.fix.command}\`.` : f.message,
      })),
    ];

    const names = new Map<string, string>();
    if (input.storePrefix !== undefined) {
      for (const step of plan.steps)
        if (step.generate) names.set(step.variable, assertKeyName(`${input.storePrefix}${kebab(step.variable)}`));
    }
    const result: EnvFixResult = {
      file: shown,
      backup: null,
      created: original === null,
      dryRun: input.dryRun === true,
      changed: plan.steps.length > 0,
      added: [],
      regenerated: [],
      stored: [],
      unfilled,
    };
    if (plan.steps.length === 0) return result;

    const generated = new Map<string, GeneratedKey>();
    const values = [];
    for (const step of plan.steps) {
      let value = step.defaultValue ?? '';
      if (step.generate) {
        if (input.dryRun) value = 'x';
        else {
          const key = await deps.generate.generate(step.generate);
          generated.set(step.variable, key);
          value = key.secret;
        }
      }
      values.push({ step, value });
    }
    const applied = applyFix(text, parsed, values, `Added by keyturn env fix${ctx.profile ? ` (profile ${ctx.profile.id})` : ''}`);

    for (const { step } of values) {
      const change: EnvFixChange = {
        variable: step.variable,
        kind: step.generate ? step.generate.kind : 'default',
        line: applied.lines.get(step.variable) ?? 0,
        how: step.how,
      };
      (step.how === 'replaced' ? result.regenerated : result.added).push(change);
    }
    if (input.dryRun) return result;

    // Read back what python-dotenv would load before touching the disk: every changed variable has its new value.
    const reread = envValues(parseEnv(applied.text));
    for (const { step, value } of values) {
      if (reread.get(step.variable) !== value)
        throw new KeyturnError('internal', `Keyturn's edit of ${step.variable} did not read back as written; ${shown} was not changed.`);
    }

    if (names.size > 0) {
      const vault = deps.vault;
      if (!vault)
        throw new KeyturnError('refused', 'This Keyturn has no keychain vault to store values in; run `env fix` without --store-prefix.');
      for (const [variable, name] of names) {
        await vault.store({ name, key: generated.get(variable)!, envVar: variable, addVersion: true });
        result.stored.push({ variable, name });
      }
    }

    if (original) {
      const now = await readFile(path).catch(() => null);
      if (!now || !now.equals(original.bytes)) {
        throw new KeyturnError(
          'changed-outside',
          `${shown} changed while Keyturn was preparing its edit; nothing was written. Run \`env fix\` again.`,
        );
      }
      result.backup = ctx.display(await writeBackup(path, original.bytes, original.mode));
      await writeFileAtomic(path, applied.text, { mode: original.mode });
    } else {
      await writeFileAtomic(path, applied.text, { mode: 0o600 });
    }
    return result;
  }

  const checkJob = createCheckJob(deps.platform);
  return {
    profiles: listProfiles,
    check: (input, options = {}) => checkJob.run(memoryContext({ ...input, cwd: cwdOf() }, options)),
    fix,
    checkJob,
  };
}
