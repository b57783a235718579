// Request schemas of the .env checker (the same request starts an `envcheck` job).
import { z } from 'zod';
import { empty, envVar, filePath, profileId } from '../schema-parts.js';
import type { EnvCheckContract } from './envcheck.js';
import type { FeatureSchemas } from './feature-schemas.js';

export const envCheckRequest = z.strictObject({
  paths: z.array(filePath).min(1).max(64),
  profile: profileId.optional(),
  schemaFile: filePath.optional(),
  example: filePath.optional(),
  strict: z.boolean().optional(),
});

export const ENVCHECK_SCHEMAS: FeatureSchemas<EnvCheckContract> = {
  envProfiles: empty,
  envCheck: envCheckRequest,
  envFix: z.strictObject({
    file: filePath,
    profile: profileId.optional(),
    schemaFile: filePath.optional(),
    regenerate: z.array(envVar).max(64).optional(),
    storePrefix: z.string().max(64).optional(),
    withDefaults: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  }),
};
