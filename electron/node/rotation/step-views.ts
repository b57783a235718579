// How a saved plan reads now: each step with its state, whether Keyturn can run it, when it may start and what holds
// it back; and the plan's one-line summary for lists. Pure over the saved plan and the clock.
import type { JobSummary } from '../../../shared/domain/job.js';
import type { PlanStatus, PlanSummary, StepView } from '../../../shared/rotation/progress.js';
import type { SavedPlan } from './plan-store.js';
import { executorFor, type ExecutorRegistry } from './step-executors.js';

export function stepView(saved: SavedPlan, n: number, executors: ExecutorRegistry, now: Date): StepView {
  const step = saved.plan.steps[n - 1]!;
  const state = saved.steps[n - 1]!;
  const view: StepView = {
    step,
    state,
    runnable: step.action !== undefined && executorFor(executors, step.action) !== undefined,
  };
  const earlier = saved.steps.find((s) => s.n < n && s.status !== 'done');
  if (earlier)
    view.blocked =
      earlier.status === 'running'
        ? `step ${earlier.n} is still running (job ${earlier.job?.id ?? '?'})`
        : `step ${earlier.n} is not done yet`;
  if (step.wait) {
    const after = saved.steps[step.wait.afterStep - 1]!;
    if (after.status === 'done' && after.at) {
      view.notBefore = new Date(Date.parse(after.at) + step.wait.ms).toISOString();
      if (!view.blocked && Date.parse(view.notBefore) > now.getTime()) view.blocked = `the overlap window runs until ${view.notBefore}`;
    }
  }
  return view;
}

export function planStatus(saved: SavedPlan, executors: ExecutorRegistry, now: Date, jobs: Map<number, JobSummary>): PlanStatus {
  const steps = saved.plan.steps.map((s) => {
    const view = stepView(saved, s.n, executors, now);
    const job = jobs.get(s.n);
    if (job) view.job = job;
    return view;
  });
  const next = steps.find((s) => s.state.status !== 'done');
  return {
    plan: saved.plan,
    cwd: saved.cwd,
    steps,
    done: steps.filter((s) => s.state.status === 'done').length,
    ...(next ? { next: next.step.n } : {}),
  };
}

export function planSummary(saved: SavedPlan): PlanSummary {
  const next = saved.steps.find((s) => s.status !== 'done');
  const failed = saved.steps.find((s) => s.status === 'failed');
  const running = saved.steps.find((s) => s.status === 'running');
  return {
    id: saved.plan.id,
    title: saved.plan.title,
    created: saved.plan.created,
    keys: saved.plan.keys.map((k) => k.name),
    steps: saved.steps.length,
    done: saved.steps.filter((s) => s.status === 'done').length,
    ...(next ? { next: next.n } : {}),
    ...(failed ? { failed: failed.n } : {}),
    ...(running ? { running: running.n } : {}),
  };
}
