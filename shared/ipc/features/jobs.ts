// The jobs feature's channels: long work started by id, followed by polling status (events after a cursor), paused,
// resumed and cancelled. A job outlives the request, the tab, the window and the process that started it.
import type { JobEvent, JobSummary } from '../../domain/job.js';
import type { EnvCheckInput } from '../../envcheck/report.js';
import type { ReencryptStartParams } from './reencrypt.js';

/** Every kind of job the page may start, with its parameters (never a secret: they are persisted in the job file). */
export type StartJobRequest = { kind: 'envcheck'; params: EnvCheckInput } | { kind: 'reencrypt'; params: ReencryptStartParams };

export type JobKindName = StartJobRequest['kind'];

export interface JobStatus {
  job: JobSummary;
  /** Events after the `after` cursor, oldest first (the last few hundred are kept). */
  events: JobEvent[];
}

export type JobsContract = {
  startJob: (req: StartJobRequest) => Promise<{ jobId: string }>;
  jobStatus: (req: { jobId: string; after?: number }) => Promise<JobStatus>;
  listJobs: (req: { limit?: number }) => Promise<JobSummary[]>;
  pauseJob: (req: { jobId: string }) => Promise<JobSummary>;
  resumeJob: (req: { jobId: string }) => Promise<JobSummary>;
  cancelJob: (req: { jobId: string }) => Promise<JobSummary>;
};

export const JOBS_CHANNELS = [
  'startJob',
  'jobStatus',
  'listJobs',
  'pauseJob',
  'resumeJob',
  'cancelJob',
] as const satisfies readonly (keyof JobsContract)[];

/** How often the page asks for a running job's status. */
export const JOB_POLL_MS = 500;
