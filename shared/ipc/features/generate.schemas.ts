// Request schemas of the generate feature.
import { z } from 'zod';
import { OUTPUT_FORMATS } from '../../domain/generated-key.js';
import { KEY_KINDS } from '../../domain/key-kinds.js';
import { envVar, hostId, keyName } from '../schema-parts.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { GenerateContract } from './generate.js';

const draftId = hostId('draft');

export const GENERATE_SCHEMAS: FeatureSchemas<GenerateContract> = {
  generateKey: z.strictObject({
    kind: z.enum(KEY_KINDS),
    alg: z.string().min(1).max(16).optional(),
    bits: z.number().int().min(1).max(16384).optional(),
    bytes: z.number().int().min(1).max(1024).optional(),
  }),
  exportDraft: z.strictObject({ draftId, format: z.enum(OUTPUT_FORMATS), envVar: envVar.optional() }),
  copyDraft: z.strictObject({ draftId }),
  storeDraft: z.strictObject({
    draftId,
    name: keyName,
    envVar: envVar.optional(),
    tags: z.array(z.string().min(1).max(64)).max(32).optional(),
    notes: z.string().max(2000).optional(),
    addVersion: z.boolean().optional(),
  }),
  discardDraft: z.strictObject({ draftId }),
};
