// A zod schema for every channel's request, assembled from the features' schema maps: handlers parse with it before
// anything else (the renderer is untrusted input). A channel without a schema fails to compile.
import type { z } from 'zod';
import type { Channel, RequestOf } from './contract.js';
import { APP_SCHEMAS } from './features/app.schemas.js';
import { AUDIT_SCHEMAS } from './features/audit.schemas.js';
import { ENVCHECK_SCHEMAS } from './features/envcheck.schemas.js';
import { ESCROW_SCHEMAS } from './features/escrow.schemas.js';
import { GENERATE_SCHEMAS } from './features/generate.schemas.js';
import { JOBS_SCHEMAS } from './features/jobs.schemas.js';
import { KEYS_SCHEMAS } from './features/keys.schemas.js';
import { REENCRYPT_SCHEMAS } from './features/reencrypt.schemas.js';
import { PUSH_SCHEMAS } from './features/push.schemas.js';
import { ROTATION_SCHEMAS } from './features/rotation.schemas.js';

export const REQUEST_SCHEMAS: { [C in Channel]: z.ZodType<RequestOf<C>> } = {
  ...APP_SCHEMAS,
  ...GENERATE_SCHEMAS,
  ...KEYS_SCHEMAS,
  ...AUDIT_SCHEMAS,
  ...ENVCHECK_SCHEMAS,
  ...JOBS_SCHEMAS,
  ...REENCRYPT_SCHEMAS,
  ...PUSH_SCHEMAS,
  ...ESCROW_SCHEMAS,
  ...ROTATION_SCHEMAS,
};

/** One readable sentence from a zod failure, naming the fields; never echoes the submitted values. */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
    return `${where}: ${issue.message}`;
  });
  return parts.join('; ');
}
