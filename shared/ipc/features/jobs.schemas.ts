// Request schemas of the jobs feature; a job kind's parameters use that feature's own request schema.
import { z } from 'zod';
import { hostId } from '../schema-parts.js';
import { envCheckRequest } from './envcheck.schemas.js';
import { reencryptStartParams } from './reencrypt.schemas.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { JobsContract } from './jobs.js';

export const jobId = hostId('job');
const byId = z.strictObject({ jobId });

export const JOBS_SCHEMAS: FeatureSchemas<JobsContract> = {
  startJob: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('envcheck'), params: envCheckRequest }),
    z.strictObject({ kind: z.literal('reencrypt'), params: reencryptStartParams }),
  ]),
  jobStatus: z.strictObject({ jobId, after: z.number().int().min(0).optional() }),
  listJobs: z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
  pauseJob: byId,
  resumeJob: byId,
  cancelJob: byId,
};
