// `env check` as a job: find the files, check them in batches (each batch committed, so a large tree survives a
// closed tab, a pause or kill -9), then ask git about them and build the report. A quick check runs the same steps
// in memory (jobs/memory-context.ts).
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { checkEnvText } from '../../../shared/envcheck/check-file.js';
import { buildReport, type EnvCheckInput, type EnvFileReport, type EnvFinding, type EnvReport } from '../../../shared/envcheck/report.js';
import { isSecretRule, looksSecretName } from '../../../shared/envcheck/types.js';
import { envValues } from '../../../shared/formats/env-file.js';
import { envCheckRequest } from '../../../shared/ipc/features/envcheck.schemas.js';
import type { JobContext, JobKind } from '../jobs/job-kind.js';
import { discoverEnvFiles, isBackupName, isTemplateName, type FoundFile } from './discover.js';
import { gitTracking } from './git-tracking.js';
import { mapLimit } from './map-limit.js';
import { permissionFinding } from './permissions.js';
import { readEnvFile } from './read-env-file.js';
import type { ValueIndex } from '../services/value-index.js';
import { RuleContext, shellQuote } from './rule-context.js';
import { staleValueFindings } from './stale-values.js';

/** What the job persists: the request, and the folder its relative paths and displayed paths are relative to. */
export type EnvCheckJobParams = EnvCheckInput & { cwd: string };
/** Files checked so far; the list of files itself is the job's first output record. */
export interface EnvCheckCheckpoint {
  next: number;
}

type Outcome =
  | { type: 'files'; files: FoundFile[] }
  | {
      type: 'file';
      report: EnvFileReport;
      path: string;
      env: boolean;
      secretBearing: boolean;
      rulesFrom: string | null;
      /** False for a file that was only named (a skipped one, a shell script without --shell): it does not count as checked. */
      checked?: boolean;
    };

/** Files read at once: enough to keep the disk and libuv's pool busy, few enough to stay far from fd limits. */
const READ_CONCURRENCY = 16;
/** Files per committed batch: a commit costs two fsyncs, so a batch is far larger than that. */
const BATCH = 200;

const params = envCheckRequest.extend({ cwd: z.string().min(1).max(4096) });

/** The record of a found file that yields no report (a shell script that sets nothing); read back, it has no path. */
const SKIPPED: Outcome & { type: 'file' } = {
  type: 'file',
  report: { path: '', role: 'shell', findings: [] },
  path: '',
  env: false,
  secretBearing: false,
  rulesFrom: null,
  checked: false,
};

/** Findings about a whole file's set of variables: a script exports a few of them, not the application's full set. */
const WHOLE_SET: ReadonlySet<string> = new Set(['missing-required', 'missing-from-example', 'not-in-example']);
/** `export NAME=value` and `export NAME="..."`: the lines of a shell script that set variables. */
const EXPORT_LINE = /^[ \t]*export[ \t]+[A-Za-z_][A-Za-z0-9_]*=/;

/** A shell script: its export lines checked as .env lines (others blanked, so line numbers hold), or a note without --shell. */
async function checkShell(ctx: RuleContext, file: FoundFile, shell: boolean): Promise<(Outcome & { type: 'file' }) | null> {
  const shown = ctx.display(file.path);
  let text: string;
  try {
    text = (await readEnvFile(file.path, shown)).text;
  } catch (error) {
    if (file.explicit || !(error instanceof KeyturnError)) throw error;
    return null;
  }
  const lines = text.split(/\r?\n/);
  const exports = lines.filter((l) => EXPORT_LINE.test(l)).length;
  if (exports === 0 && !file.explicit) return null;
  const base = { type: 'file' as const, path: file.path, env: false, rulesFrom: null };
  if (!shell && !file.explicit) {
    const finding: EnvFinding = {
      code: 'skipped-file',
      severity: 'info',
      message: `${shown} is a shell script that exports ${exports} variable${exports === 1 ? '' : 's'}; it was not checked. Add --shell to check its export lines.`,
    };
    return { ...base, report: { path: shown, role: 'shell', findings: [finding] }, secretBearing: false, checked: false };
  }
  const only = lines.map((l) => (EXPORT_LINE.test(l) ? l : '')).join('\n');
  const rules = await ctx.rulesFor(null);
  const checked = checkEnvText({ text: only, role: 'env', rules, fixable: false });
  const findings = checked.findings.filter((f) => !WHOLE_SET.has(f.code));
  const secretBearing = [...envValues(checked.parsed)].some(([k, v]) => {
    const rule = rules.byName.get(k);
    return v !== null && v.trim() !== '' && (rule ? isSecretRule(rule) : looksSecretName(k));
  });
  // Tracked by git with a secret in it is the runbook's real risk, so git is asked about scripts as about .env files.
  return { ...base, env: true, report: { path: shown, role: 'shell', findings }, secretBearing, checked: true };
}

interface CheckOptions {
  platform: NodeJS.Platform | undefined;
  shell: boolean;
  verbose: boolean;
  /** Stored key versions by fingerprint, for stale values; null when the inventory cannot be read. */
  values: ValueIndex | null;
}

async function checkOne(ctx: RuleContext, file: FoundFile, options: CheckOptions): Promise<(Outcome & { type: 'file' }) | null> {
  const { platform } = options;
  if (file.shell) return checkShell(ctx, file, options.shell);
  const shown = ctx.display(file.path);
  if (file.leavesRoot) {
    return {
      type: 'file',
      report: {
        path: shown,
        role: 'env',
        findings: [
          {
            code: 'skipped-file',
            severity: 'info',
            message: `${shown} is a symbolic link to a file outside the folder being checked; Keyturn does not follow links out of it, so it was not read. If the target is an .env file you mean to check, name it on the command line.`,
          },
        ],
      },
      path: file.path,
      env: false,
      secretBearing: false,
      rulesFrom: null,
    };
  }
  if (!isTemplateName(basename(file.path))) await ctx.exampleFor(file.path);
  let content;
  try {
    content = await readEnvFile(file.path, shown);
  } catch (error) {
    if (file.explicit || !(error instanceof KeyturnError)) throw error;
    return {
      type: 'file',
      report: {
        path: shown,
        role: 'env',
        findings: [{ code: 'skipped-file', severity: 'info', message: `${error.message} It was skipped.` }],
      },
      path: file.path,
      env: false,
      secretBearing: false,
      rulesFrom: null,
    };
  }
  const isExample = isTemplateName(basename(file.path)) || file.path === ctx.explicitExample?.path;
  const isBackup = !isExample && isBackupName(basename(file.path));
  const role = isExample ? 'example' : 'env';
  const rulesFrom = isExample || isBackup ? null : file.path;
  const rules = await ctx.rulesFor(rulesFrom);
  const checked = checkEnvText({ text: content.text, role, rules, fixCommand: ctx.fixCommand(shown) });
  const findings = isBackup ? [] : checked.findings;
  if (role === 'env' && !isBackup && options.values) {
    const stale = await staleValueFindings(checked.parsed, options.values, { shown, verbose: options.verbose });
    if (stale.length > 0) findings.splice(0, findings.length, ...byLine([...findings, ...stale]));
  }
  let secretBearing = false;
  if (role === 'env') {
    const perm = permissionFinding(content.mode, shown, platform);
    if (perm) findings.unshift(perm);
    secretBearing = [...envValues(checked.parsed)].some(([k, v]) => {
      const rule = rules.byName.get(k);
      return v !== null && v.trim() !== '' && (rule ? isSecretRule(rule) : looksSecretName(k));
    });
  }
  return { type: 'file', report: { path: shown, role, findings }, path: file.path, env: role === 'env', secretBearing, rulesFrom };
}

/** Git tracking, and the findings about rule files (schema, examples), once every file is checked. */
/** File-level findings first, then by line; stable otherwise (as the text engine orders its own). */
function byLine(findings: EnvFinding[]): EnvFinding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.line ?? 0) - (b.f.line ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}

/** CI must not pass on nothing: a check that read no file fails with a sentence, unless the caller allows it. */
function assertSomethingChecked(input: EnvCheckInput, outcomes: (Outcome & { type: 'file' })[]): void {
  if (input.allowEmpty || outcomes.some((o) => o.checked !== false)) return;
  const where = input.paths.length === 1 ? input.paths[0] : `${input.paths.length} places`;
  const scripts = outcomes.filter((o) => o.report.role === 'shell').length;
  throw new KeyturnError(
    'nothing-checked',
    `No .env file was found in ${where} (folders are searched recursively, skipping node_modules and .git), so nothing was checked.${
      scripts > 0 ? ` ${scripts} shell script${scripts === 1 ? ' exports' : 's export'} variables: add --shell to check them.` : ''
    } Name the files to check, or add --allow-empty where an empty tree is expected.`,
  );
}

async function finish(ctx: RuleContext, input: EnvCheckInput, outcomes: (Outcome & { type: 'file' })[]): Promise<EnvReport> {
  assertSomethingChecked(input, outcomes);
  // Rule files get their findings when their rules are first built; a resumed job rebuilds them here (cached otherwise).
  for (const o of outcomes) if (o.rulesFrom) await ctx.rulesFor(o.rulesFrom);
  const reports = outcomes.map((o) => o.report);
  const envFiles = outcomes.filter((o) => o.env);
  const git = await gitTracking(envFiles.map((o) => o.path));
  for (const o of envFiles) {
    const path = resolve(ctx.cwd, o.path);
    // git works inside the repository: from elsewhere `git rm --cached repo/app/.env` fails, so run it in the file's folder.
    const folder = dirname(o.report.path);
    const inFolder = (command: string) =>
      folder === '.'
        ? `git ${command} ${shellQuote(o.report.path)}`
        : `git -C ${shellQuote(folder)} ${command} ${shellQuote(basename(o.report.path))}`;
    const untrack = inFolder('rm --cached');
    if (git.tracked.has(path)) {
      o.report.findings.unshift({
        code: 'tracked-by-git',
        severity: o.secretBearing ? 'error' : 'warning',
        message: o.secretBearing
          ? `${o.report.path} is tracked by git, so everyone with the repository has its secrets. Run \`${untrack}\`, add it to .gitignore, and rotate every secret in it.`
          : `${o.report.path} is tracked by git; it holds no secret now, but the next one added would be published. Consider \`${untrack}\` and .gitignore.`,
        fix: { action: 'untrack', command: untrack },
      });
    } else if (git.unknown.has(path)) {
      o.report.findings.unshift({
        code: 'tracked-by-git',
        severity: 'info',
        message: `Keyturn could not ask git whether ${o.report.path} is tracked (${git.unknown.get(path)}); check with \`${inFolder('ls-files')}\`.`,
      });
    }
  }
  const checkedPaths = new Set(reports.map((r) => r.path));
  if (ctx.explicitExample && !checkedPaths.has(ctx.display(ctx.explicitExample.path))) {
    const rep = ctx.ruleFileReport(ctx.explicitExample.path, 'example');
    for (const p of ctx.explicitExample.rules.problems) {
      rep.findings.push({
        code: 'invalid-annotation',
        severity: 'warning',
        variable: p.variable,
        line: p.line,
        message: `${p.variable}: ${p.message}; the annotation is ignored.`,
      });
    }
  }
  for (const extra of ctx.ruleFileReports.values()) {
    const existing = reports.find((r) => r.path === extra.path);
    if (existing) existing.findings.push(...extra.findings.filter((f) => !existing.findings.some((g) => g.message === f.message)));
    else if (extra.findings.length > 0) reports.push(extra);
  }
  const options: { strict?: boolean; profile?: string; checked?: number } = {
    strict: input.strict === true,
    checked: outcomes.filter((o) => o.env && o.checked !== false).length,
  };
  if (ctx.profile) options.profile = ctx.profile.id;
  return buildReport(reports, options);
}

export interface CheckJobDeps {
  platform?: NodeJS.Platform | undefined;
  /** The stored keys' fingerprints (the vault's value index), for stale values after a rotation. */
  values?: (() => Promise<ValueIndex>) | undefined;
}

export async function runCheck(job: JobContext<EnvCheckJobParams, EnvCheckCheckpoint>, deps: CheckJobDeps = {}): Promise<EnvReport> {
  const input = job.params;
  const ctx = await RuleContext.load(input.cwd, input);
  // A missing or unreadable inventory leaves the stale-value check out; it never stops the check itself.
  const values = deps.values ? await deps.values().catch(() => null) : null;
  const options: CheckOptions = { platform: deps.platform, shell: input.shell === true, verbose: input.verbose === true, values };
  const outcomes: (Outcome & { type: 'file' })[] = [];
  let files: FoundFile[] | undefined;
  for await (const record of job.readOutput()) {
    const o = record as Outcome;
    if (o.type === 'files') files = o.files;
    else outcomes.push(o);
  }
  if (!files) {
    job.report({ done: 0, unit: 'files', phase: 'finding files' });
    files = await discoverEnvFiles(input.paths, input.cwd);
    await job.output({ type: 'files', files } satisfies Outcome);
    await job.commit({ next: 0 }, { done: 0, total: files.length, unit: 'files', phase: 'checking' });
  }
  const start = job.checkpoint?.next ?? 0;
  if (outcomes.length !== start) throw new KeyturnError('io', 'The job output does not match its checkpoint; start the check again.');
  for (let next = start; next < files.length; next += BATCH) {
    job.signal.throwIfAborted();
    const batch = files.slice(next, next + BATCH);
    const checked = await mapLimit(batch, READ_CONCURRENCY, (file) => checkOne(ctx, file, options));
    // A script with no export line leaves no report; a placeholder keeps outputs and the checkpoint counting alike.
    for (const outcome of checked) {
      const record = outcome ?? SKIPPED;
      await job.output(record);
      outcomes.push(record);
    }
    const done = next + batch.length;
    await job.commit({ next: done }, { done, total: files.length, unit: 'files', phase: 'checking' });
  }
  job.signal.throwIfAborted();
  job.report({ done: files.length, total: files.length, unit: 'files', phase: 'asking git' });
  return finish(
    ctx,
    input,
    outcomes.filter((o) => o.path !== ''),
  );
}

export function createCheckJob(deps: CheckJobDeps = {}): JobKind<EnvCheckJobParams, EnvCheckCheckpoint, EnvReport> {
  return {
    kind: 'envcheck',
    unit: 'files',
    params,
    prepare: (request, caller) => ({ ...(request as object), cwd: caller.cwd }),
    title: (p) => `Check .env files in ${p.paths.length === 1 ? p.paths[0] : `${p.paths.length} places`}`,
    run: (job) => runCheck(job, deps),
  };
}
