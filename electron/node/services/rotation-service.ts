// Rotation use cases: policies and due dates over the inventory, plans made from what Keyturn knows (inventory, .env
// facts, targets, databases) and saved under KEYTURN_HOME/plans/, steps run through the executor registry after the
// user confirms, manual steps ticked off with a note. Every action leaves an audit line; no value is ever read here
// except by the executors that need one.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { RotationPolicy } from '../../../shared/domain/inventory.js';
import { assertKeyName } from '../../../shared/domain/key-names.js';
import { checkPolicy, dueReport, type DueReport } from '../../../shared/rotation/policy.js';
import { planRotation } from '../../../shared/rotation/planner.js';
import type { AppCommands, DatabaseInput, EscrowFact, PlanStep, PushTargetInput } from '../../../shared/rotation/types.js';
import { readEnvFacts } from '../rotation/env-facts.js';
import { MAX_NOTE, PlanStore, type SavedPlan, type StepState } from '../rotation/plan-store.js';
import { executorFor, runnableOps, type ExecutorRegistry } from '../rotation/step-executors.js';
import { withLock } from '../store/file-lock.js';
import type { HomeStore } from '../store/home-store.js';
import { createAudited } from './audited.js';
import { notFound } from './vault-rules.js';

export interface PlanRequest {
  keys: string[];
  id?: string;
  envFiles?: string[];
  targets?: PushTargetInput[];
  databases?: DatabaseInput[];
  escrow?: EscrowFact[];
  app?: AppCommands;
  backupDir?: string;
  profile?: string;
  overlap?: string;
  acceptedSecretsVar?: Record<string, string>;
}

export interface StepView {
  step: PlanStep;
  state: StepState;
  /** Whether Keyturn can run the step itself now (its executor is registered). */
  runnable: boolean;
  /** The earliest time the step may start, when it waits for an overlap and the step it follows is done. */
  notBefore?: string;
  /** Why the step cannot start yet, if it cannot. */
  blocked?: string;
}

export interface PlanStatus {
  plan: SavedPlan['plan'];
  steps: StepView[];
  done: number;
  next?: number;
}

export interface RotationService {
  due(now?: Date): Promise<DueReport>;
  setPolicy(name: string, policy: RotationPolicy): Promise<Required<RotationPolicy>>;
  plan(request: PlanRequest): Promise<SavedPlan>;
  list(): Promise<string[]>;
  status(id: string): Promise<PlanStatus>;
  runStep(id: string, n: number, options: { confirm: boolean; signal?: AbortSignal }): Promise<StepView>;
  markDone(id: string, n: number, note: string): Promise<StepView>;
}

export interface RotationDeps {
  home: HomeStore;
  executors: ExecutorRegistry;
  now?: () => Date;
}

export function createRotationService(deps: RotationDeps): RotationService {
  const { home } = deps;
  const now = deps.now ?? (() => new Date());
  const store = new PlanStore(home.home);
  const audited = createAudited(home);

  function view(saved: SavedPlan, n: number): StepView {
    const step = saved.plan.steps[n - 1]!;
    const state = saved.steps[n - 1]!;
    const v: StepView = { step, state, runnable: step.action !== undefined && executorFor(deps.executors, step.action) !== undefined };
    const earlier = saved.steps.find((s) => s.n < n && s.status !== 'done');
    if (earlier) v.blocked = `step ${earlier.n} is not done yet`;
    if (step.wait) {
      const after = saved.steps[step.wait.afterStep - 1]!;
      if (after.status === 'done' && after.at) {
        v.notBefore = new Date(Date.parse(after.at) + step.wait.ms).toISOString();
        if (!v.blocked && Date.parse(v.notBefore) > now().getTime()) v.blocked = `the overlap window runs until ${v.notBefore}`;
      }
    }
    return v;
  }

  function planLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    return withLock(`${store.path(id)}.lock`, work, { timeoutMs: 10_000 });
  }

  function stepOf(saved: SavedPlan, n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > saved.plan.steps.length)
      throw new KeyturnError('usage', `Plan ${saved.plan.id} has steps 1 to ${saved.plan.steps.length}.`);
  }

  const service: RotationService = {
    async due(at) {
      return dueReport((await home.readInventory()).keys, at ?? now());
    },

    async setPolicy(name, policy) {
      assertKeyName(name);
      return audited({ action: 'policy', key: name, outcome: 'ok' }, async () => {
        const inventory = await home.readInventory();
        const record = inventory.keys.find((k) => k.name === name);
        if (!record) throw notFound(name);
        const checked = checkPolicy(policy, record.kind);
        const keys = inventory.keys.map((k) => (k.name === name ? { ...k, policy: checked } : k));
        await home.writeInventory({ ...inventory, keys });
        return checked;
      });
    },

    async plan(request) {
      const inventory = await home.readInventory();
      const keys = request.keys.map((name) => {
        const found = inventory.keys.find((k) => k.name === assertKeyName(name));
        if (!found) throw notFound(name);
        return found;
      });
      const envFiles = await Promise.all((request.envFiles ?? []).map((f) => readEnvFacts(f)));
      const at = now();
      const id = request.id ?? `${request.keys[0]}-${at.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}`;
      const plan = planRotation({
        id,
        now: at.toISOString(),
        keys,
        envFiles,
        runnable: runnableOps(deps.executors),
        ...(request.targets ? { targets: request.targets } : {}),
        ...(request.databases ? { databases: request.databases } : {}),
        ...(request.escrow ? { escrow: request.escrow } : {}),
        ...(request.app ? { app: request.app } : {}),
        ...(request.backupDir ? { backupDir: request.backupDir } : {}),
        ...(request.profile ? { profile: request.profile } : {}),
        ...(request.overlap ? { overlap: request.overlap } : {}),
        ...(request.acceptedSecretsVar ? { acceptedSecretsVar: request.acceptedSecretsVar } : {}),
      });
      return audited({ action: 'rotate-plan', key: keys.map((k) => k.name).join(','), target: `plan:${id}`, outcome: 'ok' }, () =>
        store.create(plan),
      );
    },

    list: () => store.list(),

    async status(id) {
      const saved = await store.read(id);
      const steps = saved.plan.steps.map((s) => view(saved, s.n));
      const next = steps.find((s) => s.state.status !== 'done');
      return {
        plan: saved.plan,
        steps,
        done: steps.filter((s) => s.state.status === 'done').length,
        ...(next ? { next: next.step.n } : {}),
      };
    },

    async runStep(id, n, { confirm, signal }) {
      const first = await store.read(id);
      stepOf(first, n);
      const step = first.plan.steps[n - 1]!;
      return audited(
        { action: 'rotate-step', key: step.key ?? '-', target: `plan:${id}#${n}`, outcome: 'ok' },
        async () =>
          planLock(id, async () => {
            // Read again under the plan's lock: another process may have run a step meanwhile.
            const saved = await store.read(id);
            const current = view(saved, n);
            if (current.state.status === 'done') throw new KeyturnError('refused', `Step ${n} of ${id} is already done.`);
            if (current.blocked) throw new KeyturnError('refused', `Step ${n} of ${id} cannot start: ${current.blocked}.`);
            const executor = step.action ? executorFor(deps.executors, step.action) : undefined;
            if (!executor || !step.action)
              throw new KeyturnError(
                'refused',
                `Keyturn cannot run step ${n} itself; do it by hand, then: keyturn rotate done ${id} ${n} --note TEXT`,
              );
            if (!confirm)
              throw new KeyturnError(
                'refused',
                `Step ${n} (${step.title}) changes things outside this plan; run again with --yes to confirm.`,
              );
            let state: StepState;
            try {
              const summary = await executor(step.action, { signal });
              state = { n, status: 'done', at: now().toISOString(), by: 'keyturn', note: summary };
            } catch (error) {
              const code = error instanceof KeyturnError ? error.code : 'internal';
              saved.steps[n - 1] = { n, status: 'failed', at: now().toISOString(), by: 'keyturn', code };
              await store.write(saved);
              throw error;
            }
            saved.steps[n - 1] = state;
            await store.write(saved);
            return view(saved, n);
          }),
        // The executors take the home lock themselves (the vault does): hold the plan's own lock instead, so two
        // processes never run the same plan's steps at once.
        { signal, lock: false },
      );
    },

    async markDone(id, n, note) {
      const text = note.trim();
      if (text.length === 0)
        throw new KeyturnError('usage', 'Say what was done with --note (for example who did it and what the check printed).');
      if (text.length > MAX_NOTE) throw new KeyturnError('invalid-input', `A note is at most ${MAX_NOTE} characters.`);
      const first = await store.read(id);
      stepOf(first, n);
      const step = first.plan.steps[n - 1]!;
      return audited({ action: 'rotate-step', key: step.key ?? '-', target: `plan:${id}#${n}:manual`, outcome: 'ok' }, async () => {
        const saved = await store.read(id);
        const current = view(saved, n);
        if (current.state.status === 'done') throw new KeyturnError('refused', `Step ${n} of ${id} is already done.`);
        if (current.blocked) throw new KeyturnError('refused', `Step ${n} of ${id} cannot be done yet: ${current.blocked}.`);
        saved.steps[n - 1] = { n, status: 'done', at: now().toISOString(), by: 'user', note: text };
        await store.write(saved);
        return view(saved, n);
      });
    },
  };
  return service;
}
