// Request schemas of the rotation feature: names, durations and SQL identifiers are checked again by the planner;
// these keep the shapes and sizes sane before anything runs.
import { z } from 'zod';
import { empty, envVar, filePath, keyName, profileId } from '../schema-parts.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { RotationContract } from './rotation.js';

const planId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1-64 letters, digits, ".", "_" or "-"');
const duration = z.string().min(1).max(16);
const identifier = z.string().min(1).max(130);
const command = z.string().min(1).max(1000);
const step = z.number().int().min(1).max(1000);

export const ROTATION_SCHEMAS: FeatureSchemas<RotationContract> = {
  rotationDue: empty,
  setRotationPolicy: z.strictObject({
    name: keyName,
    maxAge: duration.optional(),
    warn: duration.optional(),
    reset: z.boolean().optional(),
  }),
  planRotation: z.strictObject({
    keys: z.array(keyName).min(1).max(16),
    envFiles: z.array(filePath).max(16).optional(),
    profile: profileId.optional(),
    targets: z.array(z.string().min(1).max(64)).max(16).optional(),
    database: z
      .strictObject({
        urlVar: envVar,
        envFile: filePath.optional(),
        tables: z
          .array(z.strictObject({ table: identifier, columns: z.array(identifier).min(1).max(64), pk: identifier.optional() }))
          .min(1)
          .max(64),
      })
      .optional(),
    overlap: duration.optional(),
    restart: command.optional(),
    health: command.optional(),
    backupDir: filePath.optional(),
    id: planId.optional(),
  }),
  listRotationPlans: empty,
  rotationPlanStatus: z.strictObject({ id: planId }),
  runRotationStep: z.strictObject({ id: planId, step, confirm: z.literal(true) }),
  markRotationStepDone: z.strictObject({ id: planId, step, note: z.string().max(2000) }),
  exportRotationPlan: z.strictObject({ id: planId, format: z.enum(['md', 'json']) }),
};
