// `env check` as a job: find the files, check them in batches (each batch committed, so a large tree survives a
// closed tab, a pause or kill -9), then ask git about them and build the report. A quick check runs the same steps
// in memory (jobs/memory-context.ts).
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { checkEnvText } from '../../../shared/envcheck/check-file.js';
import { buildReport, type EnvCheckInput, type EnvFileReport, type EnvReport } from '../../../shared/envcheck/report.js';
import { isSecretRule, looksSecretName } from '../../../shared/envcheck/types.js';
import { envValues } from '../../../shared/formats/env-file.js';
import { envCheckRequest } from '../../../shared/ipc/features/envcheck.schemas.js';
import type { JobContext, JobKind } from '../jobs/job-kind.js';
import { discoverEnvFiles, isBackupName, isTemplateName, type FoundFile } from './discover.js';
import { gitTracking } from './git-tracking.js';
import { mapLimit } from './map-limit.js';
import { permissionFinding } from './permissions.js';
import { readEnvFile } from './read-env-file.js';
import { RuleContext, shellQuote } from './rule-context.js';

/** What the job persists: the request, and the folder its relative paths and displayed paths are relative to. */
export type EnvCheckJobParams = EnvCheckInput & { cwd: string };
/** Files checked so far; the list of files itself is the job's first output record. */
export interface EnvCheckCheckpoint {
  next: number;
}

type Outcome =
  | { type: 'files'; files: FoundFile[] }
  | { type: 'file'; report: EnvFileReport; path: string; env: boolean; secretBearing: boolean; rulesFrom: string | null };

/** Files read at once: enough to keep the disk and libuv's pool busy, few enough to stay far from fd limits. */
const READ_CONCURRENCY = 16;
/** Files per committed batch: a commit costs two fsyncs, so a batch is far larger than that. */
const BATCH = 200;

const params = envCheckRequest.extend({ cwd: z.string().min(1).max(4096) });

async function checkOne(ctx: RuleContext, file: FoundFile, platform: NodeJS.Platform | undefined): Promise<Outcome & { type: 'file' }> {
  const shown = ctx.display(file.path);
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
async function finish(ctx: RuleContext, input: EnvCheckInput, outcomes: (Outcome & { type: 'file' })[]): Promise<EnvReport> {
  // Rule files get their findings when their rules are first built; a resumed job rebuilds them here (cached otherwise).
  for (const o of outcomes) if (o.rulesFrom) await ctx.rulesFor(o.rulesFrom);
  const reports = outcomes.map((o) => o.report);
  const envFiles = outcomes.filter((o) => o.env);
  const git = await gitTracking(envFiles.map((o) => o.path));
  for (const o of envFiles) {
    const path = resolve(ctx.cwd, o.path);
    const shown = shellQuote(o.report.path);
    if (git.tracked.has(path)) {
      o.report.findings.unshift({
        code: 'tracked-by-git',
        severity: o.secretBearing ? 'error' : 'warning',
        message: o.secretBearing
          ? `${o.report.path} is tracked by git, so everyone with the repository has its secrets. Run \`git rm --cached ${shown}\`, add it to .gitignore, and rotate every secret in it.`
          : `${o.report.path} is tracked by git; it holds no secret now, but the next one added would be published. Consider \`git rm --cached ${shown}\` and .gitignore.`,
        fix: { action: 'untrack', command: `git rm --cached ${shown}` },
      });
    } else if (git.unknown.has(path)) {
      o.report.findings.unshift({
        code: 'tracked-by-git',
        severity: 'info',
        message: `Keyturn could not ask git whether ${o.report.path} is tracked (${git.unknown.get(path)}); check with \`git ls-files ${shown}\`.`,
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
  const options: { strict?: boolean; profile?: string } = { strict: input.strict === true };
  if (ctx.profile) options.profile = ctx.profile.id;
  return buildReport(reports, options);
}

export async function runCheck(job: JobContext<EnvCheckJobParams, EnvCheckCheckpoint>, platform?: NodeJS.Platform): Promise<EnvReport> {
  const input = job.params;
  const ctx = await RuleContext.load(input.cwd, input);
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
    const checked = await mapLimit(batch, READ_CONCURRENCY, (file) => checkOne(ctx, file, platform));
    for (const outcome of checked) {
      await job.output(outcome);
      outcomes.push(outcome);
    }
    const done = next + batch.length;
    await job.commit({ next: done }, { done, total: files.length, unit: 'files', phase: 'checking' });
  }
  job.signal.throwIfAborted();
  job.report({ done: files.length, total: files.length, unit: 'files', phase: 'asking git' });
  return finish(ctx, input, outcomes);
}

export function createCheckJob(platform?: NodeJS.Platform): JobKind<EnvCheckJobParams, EnvCheckCheckpoint, EnvReport> {
  return {
    kind: 'envcheck',
    unit: 'files',
    params,
    prepare: (request, caller) => ({ ...(request as object), cwd: caller.cwd }),
    title: (p) => `Check .env files in ${p.paths.length === 1 ? p.paths[0] : `${p.paths.length} places`}`,
    run: (job) => runCheck(job, platform),
  };
}
