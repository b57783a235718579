// Rotation use cases: policies and due dates over the inventory, plans made from what Keyturn knows (inventory, .env
// facts, push targets, databases, escrow) and saved under KEYTURN_HOME/plans/, steps run through the executor registry
// after the user confirms (long ones as jobs, settled from their result), manual steps ticked off with a note. Every
// step leaves an audit line; no value is ever read here except by the executors that need one.
import { resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRecord, RotationPolicy } from '../../../shared/domain/inventory.js';
import type { JobSummary } from '../../../shared/domain/job.js';
import { assertKeyName } from '../../../shared/domain/key-names.js';
import { planRotation } from '../../../shared/rotation/planner.js';
import { checkPolicy, dueReport, effectivePolicy, type DueReport, type KeyPolicy } from '../../../shared/rotation/policy.js';
import { renderJson, renderMarkdown } from '../../../shared/rotation/render-markdown.js';
import type { AppCommands, DbEngine, DbTable, EscrowFact, PushTargetInput } from '../../../shared/rotation/types.js';
import type { JobService } from '../jobs/job-service.js';
import { absoluteAction, actionPaths } from '../rotation/action-paths.js';
import { engineOf } from '../rotation/db-engine.js';
import { readEnvFacts } from '../rotation/env-facts.js';
import { checkNote } from '../rotation/note-rules.js';
import { PlanStore, type SavedPlan } from '../rotation/plan-store.js';
import { executorFor, runnableOps, type ExecutorRegistry, type JobExecutor } from '../rotation/step-executors.js';
import type { PlanStatus, PlanSummary, StepState, StepView } from '../../../shared/rotation/progress.js';
import { planStatus, planSummary, stepView } from '../rotation/step-views.js';
import { withLock } from '../store/file-lock.js';
import type { HomeStore } from '../store/home-store.js';
import { createAudited } from './audited.js';
import { notFound } from './vault-rules.js';

export type { PlanStatus, PlanSummary, StepView } from '../../../shared/rotation/progress.js';

export interface DatabaseRequest {
  /** The variable that holds the URL (`DATABASE_URL`). */
  urlVar: string;
  /** The .env file it is read from; absent: the first --env-file that sets it, else the environment. */
  envFile?: string;
  /** Absent: read from the URL's scheme. */
  engine?: DbEngine;
  tables: DbTable[];
}

export interface PlanRequest {
  keys: string[];
  id?: string;
  envFiles?: string[];
  profile?: string;
  /** Push target names (`keyturn targets list`). */
  targets?: string[];
  databases?: DatabaseRequest[];
  app?: AppCommands;
  backupDir?: string;
  overlap?: string;
  acceptedSecretsVar?: Record<string, string>;
}

export type RenderFormat = 'md' | 'json';

export type { KeyPolicy } from '../../../shared/rotation/policy.js';

/**
 * A host's path guard (the web host's root, the desktop app's dialog grants): every file a plan made or run from the
 * page reads or writes must pass it, or the request is refused with its sentence.
 */
export type Confine = (path: string) => Promise<string>;

export interface FollowOptions {
  signal?: AbortSignal | undefined;
  /** Called as the step's job reports progress. */
  onProgress?: (job: JobSummary) => void;
}

export interface RotationService {
  /** Every key's due date; keys with a plan under way say so. */
  due(at?: Date): Promise<DueReport>;
  policy(name: string): Promise<KeyPolicy>;
  /** Sets a key's policy, or with null goes back to its kind's default. */
  setPolicy(name: string, policy: RotationPolicy | null): Promise<KeyPolicy>;
  /** Makes and saves a plan; relative paths are taken from `cwd` (the caller's folder), now and when steps run. */
  plan(request: PlanRequest, options?: { cwd?: string; confine?: Confine }): Promise<PlanStatus>;
  list(): Promise<PlanSummary[]>;
  status(id: string): Promise<PlanStatus>;
  render(id: string, format: RenderFormat): Promise<string>;
  /** Runs step n after the user confirmed it; a long step starts (or continues) its job and returns at once. */
  runStep(id: string, n: number, options: { confirm: boolean; signal?: AbortSignal | undefined; confine?: Confine }): Promise<StepView>;
  /** Waits until step n's job settles (a Ctrl+C through `signal` pauses the job) and returns the step as it ends. */
  follow(id: string, n: number, options?: FollowOptions): Promise<StepView>;
  /** Ticks off a step done by hand, with a note saying what was done. */
  markDone(id: string, n: number, note: string): Promise<StepView>;
}

export interface RotationDeps {
  home: HomeStore;
  executors: ExecutorRegistry;
  /** Runs the long steps; without it, job steps stay manual. */
  jobs?: JobService;
  /** A push target by name (issue 11), fitted to the keys planned (where each went before); absent: no targets. */
  target?: (name: string, keys: KeyRecord[]) => Promise<PushTargetInput>;
  /** The escrow bundles that hold the keys named (issue 14). */
  escrow?: (keys: string[]) => Promise<EscrowFact[]>;
  /** Where database URLs not in an .env file are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** How often follow() looks at a job (default 250 ms). */
  pollMs?: number;
}

const ACTIVE_JOB = new Set(['running', 'pausing', 'cancelling']);
const RESUMABLE_JOB = new Set(['paused', 'interrupted', 'failed']);

export function createRotationService(deps: RotationDeps): RotationService {
  const { home, executors } = deps;
  const now = deps.now ?? (() => new Date());
  const env = deps.env ?? process.env;
  const store = new PlanStore(home.home);
  const audited = createAudited(home);
  const runnable = () => runnableOps(executors).filter((op) => executors[op]?.mode === 'inline' || deps.jobs !== undefined);

  function planLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    return withLock(`${store.path(id)}.lock`, work, { timeoutMs: 10_000 });
  }

  function checkStep(saved: SavedPlan, n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > saved.plan.steps.length)
      throw new KeyturnError('usage', `Plan ${saved.plan.id} has steps 1 to ${saved.plan.steps.length}.`);
  }

  function jobsOrFail(): JobService {
    if (!deps.jobs) throw new KeyturnError('internal', 'This Keyturn runs no jobs here; run the step from the CLI.');
    return deps.jobs;
  }

  async function jobOf(state: StepState): Promise<JobSummary | undefined> {
    if (!state.job || !deps.jobs) return undefined;
    try {
      return (await deps.jobs.status(state.job.id)).job;
    } catch (error) {
      if (error instanceof KeyturnError && error.code === 'not-found') return undefined;
      throw error;
    }
  }

  /** One audit line for a step outcome found later (a job that settled), appended under the home lock. */
  function auditLater(saved: SavedPlan, n: number, state: StepState): Promise<unknown> {
    const step = saved.plan.steps[n - 1]!;
    const ok = state.status === 'done';
    return home.locked(() =>
      home.audit.appendUnlocked({
        action: 'rotate-step',
        key: step.key ?? '-',
        target: `plan:${saved.plan.id}#${n}`,
        outcome: ok ? 'ok' : 'failed',
        ...(state.code && !ok ? { code: state.code as never } : {}),
        ...(state.note ? { detail: state.note } : {}),
      }),
    );
  }

  /** Settles steps whose job has finished: done when the result passes the step's check, failed otherwise. */
  async function settle(id: string): Promise<{ saved: SavedPlan; jobs: Map<number, JobSummary> }> {
    const first = await store.read(id);
    if (!first.steps.some((s) => s.status === 'running')) return { saved: first, jobs: new Map() };
    return planLock(id, async () => {
      const saved = await store.read(id);
      const live = new Map<number, JobSummary>();
      const settled: number[] = [];
      for (const state of saved.steps) {
        if (state.status !== 'running' || !state.job) continue;
        const job = await jobOf(state);
        const base = { n: state.n, by: 'keyturn' as const, job: state.job, at: job?.updated ?? now().toISOString() };
        if (!job) {
          saved.steps[state.n - 1] = {
            ...base,
            status: 'failed',
            code: 'not-found',
            note: `Job ${state.job.id} is gone; run the step again.`,
          };
        } else if (job.state === 'done') {
          const step = saved.plan.steps[state.n - 1]!;
          const executor = step.action ? executorFor(executors, step.action) : undefined;
          const verdict =
            executor?.mode === 'job'
              ? executor.settle(job.result, absoluteAction(step.action!, saved.cwd))
              : ({ ok: true, summary: `Job ${job.id} finished.` } as const);
          saved.steps[state.n - 1] = verdict.ok
            ? { ...base, status: 'done', note: verdict.summary }
            : { ...base, status: 'failed', code: verdict.code, note: verdict.message };
        } else if (job.state === 'failed' || job.state === 'cancelled') {
          saved.steps[state.n - 1] = {
            ...base,
            status: 'failed',
            code: job.error?.code ?? 'cancelled',
            note: job.error?.message ?? `Job ${job.id} was cancelled.`,
          };
        } else {
          live.set(state.n, job);
          continue;
        }
        settled.push(state.n);
      }
      if (settled.length > 0) {
        await store.write(saved);
        for (const n of settled) await auditLater(saved, n, saved.steps[n - 1]!);
      }
      return { saved, jobs: live };
    });
  }

  async function startJob(executor: JobExecutor, saved: SavedPlan, n: number, state: StepState): Promise<string> {
    const jobs = jobsOrFail();
    const step = saved.plan.steps[n - 1]!;
    // A job stopped by an error continues from its last checkpoint; a cancelled one, or one whose result failed the
    // step's check (poison rows, a verification below 100%), is run afresh.
    const previous = state.status === 'failed' ? await jobOf(state) : undefined;
    if (previous && RESUMABLE_JOB.has(previous.state)) {
      await jobs.resume(previous.id, { detach: true });
      return previous.id;
    }
    return jobs.start(executor.kind, executor.params(absoluteAction(step.action!, saved.cwd)), { cwd: saved.cwd });
  }

  async function keyPolicy(name: string): Promise<KeyPolicy> {
    const inventory = await home.readInventory();
    const record = inventory.keys.find((k) => k.name === assertKeyName(name));
    if (!record) throw notFound(name);
    return { key: name, ...effectivePolicy(record) };
  }

  /** `pii-enc-key-20250301-0900`, then `-2`, `-3`... for more plans of that key in the same minute (an id is never reused). */
  async function defaultId(key: string, at: Date): Promise<string> {
    const base = `${key.slice(0, 48)}-${at.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}`;
    let id = base;
    for (let n = 2; await store.exists(id); n += 1) id = `${base}-${n}`;
    return id;
  }

  async function databasesOf(request: PlanRequest, envFiles: { path: string; variables: string[] }[], cwd: string, confine: Confine) {
    return Promise.all(
      (request.databases ?? []).map(async (db) => {
        const envFile = db.envFile ?? envFiles.find((f) => f.variables.includes(db.urlVar))?.path;
        const readFrom = envFile ? await confine(resolve(cwd, envFile)) : undefined;
        const engine = db.engine ?? (await engineOf({ urlVar: db.urlVar, envFile: readFrom }, env));
        return { engine, urlVar: db.urlVar, ...(envFile ? { envFile } : {}), tables: db.tables };
      }),
    );
  }

  const service: RotationService = {
    async due(at) {
      const report = dueReport((await home.readInventory()).keys, at ?? now());
      // A key whose rotation is under way says so: its due date moves once the new version is made.
      const plans = (await service.list()).filter((p) => p.done < p.steps);
      for (const entry of report.entries) {
        const plan = plans.find((p) => p.keys.includes(entry.key));
        if (plan) entry.rotation = { plan: plan.id, done: plan.done, steps: plan.steps };
      }
      return report;
    },

    policy: keyPolicy,

    async setPolicy(name, policy) {
      assertKeyName(name);
      await audited(
        { action: 'policy', key: name, outcome: 'ok', ...(policy ? {} : { detail: 'back to the default' }) },
        async ({ note }) => {
          const inventory = await home.readInventory();
          const record = inventory.keys.find((k) => k.name === name);
          if (!record) throw notFound(name);
          const checked = policy ? checkPolicy(policy, record.kind) : undefined;
          if (checked) note({ detail: `max age ${checked.maxAge}, warn ${checked.warn}` });
          const keys = inventory.keys.map((k) => {
            if (k.name !== name) return k;
            const { policy: _old, ...rest } = k;
            return checked ? { ...rest, policy: checked } : rest;
          });
          await home.writeInventory({ ...inventory, keys });
        },
      );
      return keyPolicy(name);
    },

    async plan(request, options = {}) {
      const cwd = resolve(options.cwd ?? process.cwd());
      const confine: Confine = options.confine ?? (async (p) => p);
      const inventory = await home.readInventory();
      const keys = request.keys.map((name) => {
        const found = inventory.keys.find((k) => k.name === assertKeyName(name));
        if (!found) throw notFound(name);
        return found;
      });
      const envFiles = await Promise.all((request.envFiles ?? []).map(async (f) => readEnvFacts(await confine(resolve(cwd, f)), f)));
      const targets = await Promise.all(
        (request.targets ?? []).map((name) => {
          if (!deps.target)
            throw new KeyturnError('refused', 'This Keyturn has no push targets yet (keyturn targets add); plan without --target.');
          return deps.target(name, keys);
        }),
      );
      const databases = await databasesOf(request, envFiles, cwd, confine);
      const escrow = deps.escrow ? await deps.escrow(keys.map((k) => k.name)) : [];
      const at = now();
      const id = request.id ?? (await defaultId(keys[0]?.name ?? 'plan', at));
      const plan = planRotation({
        id,
        now: at.toISOString(),
        keys,
        envFiles,
        runnable: runnable(),
        targets,
        databases,
        escrow,
        ...(request.app ? { app: request.app } : {}),
        ...(request.backupDir ? { backupDir: request.backupDir } : {}),
        ...(request.profile ? { profile: request.profile } : {}),
        ...(request.overlap !== undefined ? { overlap: request.overlap } : {}),
        ...(request.acceptedSecretsVar ? { acceptedSecretsVar: request.acceptedSecretsVar } : {}),
      });
      // Every file the steps will read or write must be one the caller may touch (the page: under the host's root).
      // An escrow bundle comes from Keyturn's own records, not from the request: a plan may name one outside the root,
      // and running that step from the page is refused when it runs (the CLI, or a tick with a note, does it).
      for (const step of plan.steps)
        if (step.action && step.action.op !== 'escrow-update')
          for (const p of actionPaths(absoluteAction(step.action, cwd))) await confine(p);
      const saved = await audited(
        {
          action: 'rotate-plan',
          key: keys.map((k) => k.name).join(','),
          target: `plan:${id}`,
          outcome: 'ok',
          detail: `${plan.steps.length} steps`,
        },
        () => store.create(plan, cwd),
      );
      return planStatus(saved, executors, now(), new Map());
    },

    async list() {
      const out: PlanSummary[] = [];
      for (const id of await store.list()) {
        try {
          out.push(planSummary(await store.read(id)));
        } catch {
          // A file that is not a plan (a copy, a half-written one) is not listed; `rotate status ID` says why.
        }
      }
      return out.sort((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id));
    },

    async status(id) {
      const { saved, jobs } = await settle(id);
      return planStatus(saved, executors, now(), jobs);
    },

    async render(id, format) {
      const { plan } = await store.read(id);
      return format === 'json' ? renderJson(plan) : renderMarkdown(plan);
    },

    async runStep(id, n, { confirm, signal, confine }) {
      const first = await store.read(id);
      checkStep(first, n);
      const step = first.plan.steps[n - 1]!;
      await settle(id);
      return audited(
        { action: 'rotate-step', key: step.key ?? '-', target: `plan:${id}#${n}`, outcome: 'ok' },
        ({ note }) =>
          planLock(id, async () => {
            // Read again under the plan's lock: another process may have run a step meanwhile.
            const saved = await store.read(id);
            const state = saved.steps[n - 1]!;
            if (state.status === 'done') throw new KeyturnError('refused', `Step ${n} of ${id} is already done.`);
            if (state.status === 'running') {
              const job = await jobOf(state);
              if (job && ACTIVE_JOB.has(job.state))
                throw new KeyturnError(
                  'refused',
                  `Step ${n} of ${id} is running as job ${job.id}; follow it with: keyturn jobs status ${job.id}`,
                );
              if (!confirm) throw new KeyturnError('refused', `Step ${n} (${step.title}) is paused; run again with --yes to continue it.`);
              await jobsOrFail().resume(state.job!.id, { detach: true });
              note({ detail: `job ${state.job!.id} continued` });
              return stepView(saved, n, executors, now());
            }
            const current = stepView(saved, n, executors, now());
            if (current.blocked) throw new KeyturnError('refused', `Step ${n} of ${id} cannot start: ${current.blocked}.`);
            const executor = step.action ? executorFor(executors, step.action) : undefined;
            if (!executor || !step.action || (executor.mode === 'job' && !deps.jobs))
              throw new KeyturnError(
                'refused',
                `Keyturn cannot run step ${n} itself; do it by hand, then: keyturn rotate done ${id} ${n} --note TEXT`,
              );
            if (!confirm)
              throw new KeyturnError(
                'refused',
                `Step ${n} (${step.title}) changes things outside this plan; run again with --yes to confirm.`,
              );
            // A plan made elsewhere (the CLI) may name files the caller may not touch (the page, under its root).
            if (confine) for (const p of actionPaths(absoluteAction(step.action, saved.cwd))) await confine(p);
            if (executor.mode === 'job') {
              const jobId = await startJob(executor, saved, n, state);
              saved.steps[n - 1] = {
                n,
                status: 'running',
                at: now().toISOString(),
                by: 'keyturn',
                job: { id: jobId, kind: executor.kind },
              };
              await store.write(saved);
              note({ detail: `job ${jobId} started` });
              return stepView(saved, n, executors, now());
            }
            try {
              const summary = await executor.run(absoluteAction(step.action, saved.cwd), { signal });
              saved.steps[n - 1] = { n, status: 'done', at: now().toISOString(), by: 'keyturn', note: summary };
              note({ detail: summary });
            } catch (error) {
              const code = error instanceof KeyturnError ? error.code : 'internal';
              saved.steps[n - 1] = { n, status: 'failed', at: now().toISOString(), by: 'keyturn', code };
              await store.write(saved);
              throw error;
            }
            await store.write(saved);
            return stepView(saved, n, executors, now());
          }),
        // The executors take the home lock themselves (the vault does): hold the plan's own lock instead, so two
        // processes never run the same plan's steps at once.
        { signal, lock: false },
      );
    },

    async follow(id, n, options = {}) {
      const jobs = jobsOrFail();
      let paused = false;
      for (;;) {
        const status = await service.status(id);
        checkStep({ plan: status.plan } as SavedPlan, n);
        const view = status.steps[n - 1]!;
        if (view.state.status !== 'running' || !view.job) return view;
        options.onProgress?.(view.job);
        if (!ACTIVE_JOB.has(view.job.state)) return view;
        if (options.signal?.aborted && !paused) {
          paused = true;
          await jobs.pause(view.job.id);
        }
        await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? 250));
      }
    },

    async markDone(id, n, note) {
      const first = await store.read(id);
      checkStep(first, n);
      const step = first.plan.steps[n - 1]!;
      return audited(
        { action: 'rotate-step', key: step.key ?? '-', target: `plan:${id}#${n}:manual`, outcome: 'ok', detail: 'done by hand' },
        () =>
          planLock(id, async () => {
            const text = checkNote(note);
            const saved = await store.read(id);
            const state = saved.steps[n - 1]!;
            if (state.status === 'done') throw new KeyturnError('refused', `Step ${n} of ${id} is already done.`);
            if (state.status === 'running')
              throw new KeyturnError(
                'refused',
                `Step ${n} of ${id} is running as job ${state.job?.id ?? '?'}; let it finish, or cancel it first (keyturn jobs cancel).`,
              );
            const current = stepView(saved, n, executors, now());
            if (current.blocked) throw new KeyturnError('refused', `Step ${n} of ${id} cannot be done yet: ${current.blocked}.`);
            saved.steps[n - 1] = { n, status: 'done', at: now().toISOString(), by: 'user', note: text };
            await store.write(saved);
            return stepView(saved, n, executors, now());
          }),
        { lock: false },
      );
    },
  };
  return service;
}
