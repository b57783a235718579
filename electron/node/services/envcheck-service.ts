// The .env checker use case: finds files, combines profile/schema/example rules, checks and fixes files. No value leaves it.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey } from '../../../shared/domain/generated-key.js';
import { assertKeyName } from '../../../shared/domain/key-names.js';
import { checkEnvText } from '../../../shared/envcheck/check-file.js';
import { applyFix, planFix, type GenerateSpec } from '../../../shared/envcheck/fix-plan.js';
import { listProfiles } from '../../../shared/envcheck/profiles.js';
import {
  buildReport,
  type EnvCheckInput,
  type EnvCheckService,
  type EnvFileReport,
  type EnvFixChange,
  type EnvFixInput,
  type EnvFixResult,
  type EnvReport,
} from '../../../shared/envcheck/report.js';
import { isSecretRule, looksSecretName } from '../../../shared/envcheck/types.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { writeBackup, writeFileAtomic } from '../files/atomic-write.js';
import { discoverEnvFiles, isBackupName, isTemplateName } from '../envcheck/discover.js';
import { gitTracking } from '../envcheck/git-tracking.js';
import { mapLimit } from '../envcheck/map-limit.js';
import { permissionFinding } from '../envcheck/permissions.js';
import { readEnvFile, type EnvFileContent } from '../envcheck/read-env-file.js';
import { RuleContext, shellQuote } from '../envcheck/rule-context.js';

export type { EnvCheckService } from '../../../shared/envcheck/report.js';

/** The slice of the vault `env fix --store-prefix` needs (electron/node/services/vault-service.ts). */
export interface EnvFixVault {
  store(input: { name: string; key: GeneratedKey; envVar?: string; addVersion?: boolean }): Promise<{ version: number }>;
}

export interface EnvCheckDeps {
  generate: (options: GenerateSpec) => Promise<GeneratedKey>;
  /** Only `fix --store-prefix` uses it; without it, that option is refused. */
  vault?: EnvFixVault;
  cwd?: () => string;
  platform?: NodeJS.Platform;
}

function kebab(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}

/** Files read at once: enough to keep the disk and libuv's pool busy, few enough to stay far from fd limits. */
const READ_CONCURRENCY = 16;

export function createEnvCheckService(deps: EnvCheckDeps): EnvCheckService {
  const cwdOf = deps.cwd ?? (() => process.cwd());

  async function check(input: EnvCheckInput): Promise<EnvReport> {
    const ctx = await RuleContext.load(cwdOf(), input);
    const found = await discoverEnvFiles(input.paths, ctx.cwd);
    const reports: EnvFileReport[] = [];
    const secretBearing = new Map<string, boolean>();
    const contents = new Map<string, EnvFileContent>();

    // Reads (and the sibling examples they need) overlap; checking then runs in file order.
    const read = await mapLimit(found, READ_CONCURRENCY, async (file) => {
      const shown = ctx.display(file.path);
      if (!isTemplateName(basename(file.path))) await ctx.exampleFor(file.path);
      return readEnvFile(file.path, shown).then(
        (content) => ({ content, error: null }),
        (error: unknown) => ({ content: null, error }),
      );
    });
    for (const [i, file] of found.entries()) {
      const shown = ctx.display(file.path);
      const { content, error } = read[i]!;
      if (!content) {
        if (file.explicit || !(error instanceof KeyturnError)) throw error;
        reports.push({
          path: shown,
          role: 'env',
          findings: [{ code: 'skipped-file', severity: 'info', message: `${error.message} It was skipped.` }],
        });
        continue;
      }
      const isExample = isTemplateName(basename(file.path)) || file.path === ctx.explicitExample?.path;
      const isBackup = !isExample && isBackupName(basename(file.path));
      const role = isExample ? 'example' : 'env';
      const rules = await ctx.rulesFor(isExample || isBackup ? null : file.path);
      const checked = checkEnvText({ text: content.text, role, rules, fixCommand: ctx.fixCommand(shown) });
      const { parsed } = checked;
      const findings = isBackup ? [] : checked.findings;
      if (role === 'env') {
        const perm = permissionFinding(content.mode, shown, deps.platform);
        if (perm) findings.unshift(perm);
        const values = envValues(parsed);
        const hasSecret = [...values].some(([k, v]) => {
          const rule = rules.byName.get(k);
          return v !== null && v.trim() !== '' && (rule ? isSecretRule(rule) : looksSecretName(k));
        });
        secretBearing.set(file.path, hasSecret);
        contents.set(file.path, content);
      }
      reports.push({ path: shown, role, findings });
    }

    const git = await gitTracking([...contents.keys()]);
    for (const report of reports) {
      const path = resolve(ctx.cwd, report.path);
      if (git.tracked.has(path)) {
        const secret = secretBearing.get(path) === true;
        report.findings.unshift({
          code: 'tracked-by-git',
          severity: secret ? 'error' : 'warning',
          message: secret
            ? `${report.path} is tracked by git, so everyone with the repository has its secrets. Run \`git rm --cached ${shellQuote(report.path)}\`, add it to .gitignore, and rotate every secret in it.`
            : `${report.path} is tracked by git; it holds no secret now, but the next one added would be published. Consider \`git rm --cached ${shellQuote(report.path)}\` and .gitignore.`,
          fix: { action: 'untrack', command: `git rm --cached ${shellQuote(report.path)}` },
        });
      } else if (git.unknown.has(path)) {
        report.findings.unshift({
          code: 'tracked-by-git',
          severity: 'info',
          message: `Keyturn could not ask git whether ${report.path} is tracked (${git.unknown.get(path)}); check with \`git ls-files ${shellQuote(report.path)}\`.`,
        });
      }
    }

    // Rule files (schema, example) get their own entry when they hold findings and were not checked as files.
    const checked = new Set(reports.map((r) => r.path));
    if (ctx.explicitExample && !checked.has(ctx.display(ctx.explicitExample.path))) {
      const rep = ctx.ruleFileReport(ctx.explicitExample.path, 'example');
      for (const p of ctx.explicitExample.rules.problems)
        rep.findings.push({
          code: 'invalid-annotation',
          severity: 'warning',
          variable: p.variable,
          line: p.line,
          message: `${p.variable}: ${p.message}; the annotation is ignored.`,
        });
    }
    for (const extra of ctx.ruleFileReports.values()) {
      const existing = reports.find((r) => r.path === extra.path);
      if (existing) existing.findings.push(...extra.findings.filter((f) => !existing.findings.some((g) => g.message === f.message)));
      else if (extra.findings.length > 0) reports.push(extra);
    }
    const options: { strict?: boolean; profile?: string } = { strict: input.strict === true };
    if (ctx.profile) options.profile = ctx.profile.id;
    return buildReport(reports, options);
  }

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
          const key = await deps.generate(step.generate);
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

  return { profiles: listProfiles, check, fix };
}
