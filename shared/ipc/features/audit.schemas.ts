// Request schemas of the audit feature.
import { z } from 'zod';
import { empty } from '../schema-parts.js';
import type { AuditContract } from './audit.js';
import type { FeatureSchemas } from './feature-schemas.js';

export const AUDIT_SCHEMAS: FeatureSchemas<AuditContract> = {
  auditList: z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }),
  auditVerify: empty,
};
