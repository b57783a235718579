// What a kind of long work (checking a tree, re-encrypting a table, pushing many keys) gives the job runner, and what
// the runner gives it back: parameters in, a context for checkpoints and progress, a value-free result out.
import type { z } from 'zod';
import type { JobProgress } from '../../../shared/domain/job.js';

export interface JobContext<P, C> {
  readonly id: string;
  readonly params: P;
  /** The last committed checkpoint: undefined on a fresh start, set when the job resumes. */
  readonly checkpoint: C | undefined;
  /**
   * Aborts when a pause or cancel is asked for (by this process or another one, through the job's control file).
   * Work stops at the next safe point, commits, and returns; the runner settles the job as paused or cancelled.
   */
  readonly signal: AbortSignal;
  /**
   * Persists `checkpoint` and `progress` atomically: after it returns, a crash or kill -9 resumes from here. Also reads
   * the control file, so a pause asked for by another process takes effect at the next commit at the latest.
   */
  commit(checkpoint: C, progress: JobProgress): Promise<void>;
  /** Progress between commits, for live displays; persisted now and then, not on every call. */
  report(progress: JobProgress): void;
  /** A sentence for the job's event list (never a value). */
  note(message: string): void;
  /** Appends value-free records (per-file reports, poison-row keys) to the job's output file, kept beside it. */
  output(record: unknown): Promise<void>;
  /** The records written by output() up to the last commit (records appended after it are dropped on resume). */
  readOutput(): AsyncIterable<unknown>;
}

export interface JobKind<P, C, R> {
  /** Stable id in job files and the contract, e.g. "envcheck", "reencrypt", "push". */
  readonly kind: string;
  /** What an item of progress is: "files", "rows", "keys". */
  readonly unit?: string;
  /** Parameters are persisted in the job file and come back through IPC: they never hold a secret. */
  readonly params: z.ZodType<P>;
  /**
   * Turns what the caller sent into the parameters to persist, once, at start: e.g. relative paths made absolute
   * against the caller's folder, so that a resume from another folder or process does the same work.
   */
  prepare?(request: unknown, caller: { cwd: string }): unknown;
  title(params: P): string;
  /** Kinds that touch keys leave audit lines when they start, pause, resume and end. */
  readonly audit?: {
    /** The key the job works with, for the audit line's key field. */
    key(params: P): string;
    /** A value-free account for the line (counts, versions). */
    detail?(params: P, progress: JobProgress): string | undefined;
  };
  /** Does the work from `ctx.checkpoint` (or the start); returns the result, value-free. */
  run(ctx: JobContext<P, C>): Promise<R>;
}
