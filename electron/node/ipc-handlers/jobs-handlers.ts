// Handlers of the jobs feature: a started job runs in the host, independent of the request that started it.
import type { JobsContract } from '../../../shared/ipc/features/jobs.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function jobsHandlers({ services }: HandlerDeps): FeatureHandlers<JobsContract> {
  const { jobs } = services;
  return {
    startJob: async (req) => ({ jobId: await jobs.start(req.kind, req.params) }),
    jobStatus: (req) => jobs.status(req.jobId, req.after ?? 0),
    listJobs: (req) => jobs.list(req.limit),
    pauseJob: (req) => jobs.pause(req.jobId),
    resumeJob: (req) => jobs.resume(req.jobId, { detach: true }),
    cancelJob: (req) => jobs.cancel(req.jobId),
  };
}
