// A saved plan's progress as the CLI, the UI and the plan files see it: each step's state, whether Keyturn can run it,
// what holds it back, and a one-line summary per plan. No values: notes say what was done, never with what.
import type { JobSummary } from '../domain/job.js';
import type { PlanStep, RotationPlan } from './types.js';

/** running: a long step's job was started and has not settled yet (it may be paused or interrupted). */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed';

export interface StepState {
  n: number;
  status: StepStatus;
  /** When the step was last run or ticked off. */
  at?: string;
  by?: 'keyturn' | 'user';
  /** The user's note when ticking a manual step; what Keyturn did otherwise. Never a value. */
  note?: string;
  code?: string;
  /** The job that does a long step (re-encryption, push), once started; kept after it settles. */
  job?: { id: string; kind: string };
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
  /** A long step's job as it stands (progress, paused, interrupted), while the step is running. */
  job?: JobSummary;
}

export interface PlanStatus {
  plan: RotationPlan;
  /** The folder the plan's relative paths are relative to. */
  cwd: string;
  steps: StepView[];
  done: number;
  /** The first step not done yet. */
  next?: number;
}

export interface PlanSummary {
  id: string;
  title: string;
  created: string;
  keys: string[];
  steps: number;
  done: number;
  next?: number;
  /** A step that failed, or whose job stopped, and is not done since. */
  failed?: number;
  /** A step whose job has not settled yet. */
  running?: number;
}
