// Handlers of the jobs feature: a started job runs in the host, independent of the request that started it. Its
// parameters pass the same confinement as the feature's own channels.
import type { JobKindName, JobsContract, StartJobRequest } from '../../../shared/ipc/features/jobs.js';
import { confineEnvCheck } from './envcheck-handlers.js';
import { confineReencrypt } from './reencrypt-handlers.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';
import type { HostAdapters } from './host-adapters.js';

type Confiners = { [K in JobKindName]: (host: HostAdapters, params: Extract<StartJobRequest, { kind: K }>['params']) => Promise<unknown> };

/** One entry per job kind the page may start: a new kind fails to compile until its parameters are confined here. */
const CONFINE: Confiners = {
  envcheck: confineEnvCheck,
  reencrypt: confineReencrypt,
};

export function jobsHandlers({ services, host }: HandlerDeps): FeatureHandlers<JobsContract> {
  const { jobs } = services;
  return {
    startJob: async (req) => {
      const confine = CONFINE[req.kind] as (host: HostAdapters, params: unknown) => Promise<unknown>;
      return { jobId: await jobs.start(req.kind, await confine(host, req.params)) };
    },
    jobStatus: (req) => jobs.status(req.jobId, req.after ?? 0),
    listJobs: (req) => jobs.list(req.limit),
    pauseJob: (req) => jobs.pause(req.jobId),
    resumeJob: (req) => jobs.resume(req.jobId, { detach: true }),
    cancelJob: (req) => jobs.cancel(req.jobId),
  };
}
