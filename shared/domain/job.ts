// Long work as a job: its state, its progress and its events, as the CLI, the UI and the job files hold them. No values.
import type { ErrorCode } from './errors.js';

/**
 * running: a process is working on it. pausing / cancelling: asked to stop at the next checkpoint.
 * paused, cancelled, done, failed: settled. interrupted: its process died (kill -9, power loss); resume continues it.
 */
export const JOB_STATES = ['running', 'pausing', 'paused', 'cancelling', 'cancelled', 'done', 'failed', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States in which no process works on the job any more. */
export const SETTLED_JOB_STATES: readonly JobState[] = ['paused', 'cancelled', 'done', 'failed', 'interrupted'];
/** States from which `resume` continues the job. */
export const RESUMABLE_JOB_STATES: readonly JobState[] = ['paused', 'interrupted', 'failed'];

export interface JobProgress {
  /** Items finished so far (files, rows, keys). */
  done: number;
  /** Items in all, once known. */
  total?: number;
  /** What an item is, for "1,200 of 5,000 rows". */
  unit: string;
  /** The step the job is in, e.g. "scanning", "re-encrypting users", "verifying". */
  phase: string;
  /** Items per second over the recent past. */
  rate?: number;
  /** Seconds left at that rate. */
  etaSeconds?: number;
}

export type JobEventType =
  'started' | 'checkpoint' | 'note' | 'pausing' | 'paused' | 'resumed' | 'cancelling' | 'cancelled' | 'done' | 'failed' | 'interrupted';

export interface JobEvent {
  /** 1, 2, 3, ... per job: a reader asks for the events after the last one it saw. */
  seq: number;
  ts: string;
  type: JobEventType;
  /** A sentence for people; never a value. */
  message?: string;
  progress?: JobProgress;
}

export interface JobError {
  code: ErrorCode;
  message: string;
}

export interface JobSummary {
  id: string;
  kind: string;
  /** What the job does, in a few words ("Check .env files under ~/src/app"). */
  title: string;
  state: JobState;
  progress: JobProgress;
  created: string;
  updated: string;
  /** The process working on it, while one is. */
  owner?: { pid: number; host: string };
  error?: JobError;
  /** What a finished job produced, kind-specific and value-free (counts, a report). */
  result?: unknown;
}
