// Request schemas of the escrow feature.
import { z } from 'zod';
import { filePath, hostId, keyName, version } from '../schema-parts.js';
import { MAX_SHARE_IMAGE_BASE64, type EscrowContract } from './escrow.js';
import type { FeatureSchemas } from './feature-schemas.js';

const bundle = filePath;
const shareIds = z.array(hostId('share')).min(1).max(64);
const custodian = z.strictObject({
  name: z.string().min(1).max(64),
  recipient: z
    .string()
    .regex(/^age1[0-9a-z]{58}$/, 'an age X25519 recipient is age1 followed by 58 lower-case characters')
    .optional(),
});

export const ESCROW_SCHEMAS: FeatureSchemas<EscrowContract> = {
  escrowCreate: z.strictObject({
    keys: z
      .array(z.strictObject({ name: keyName, version: version.optional() }))
      .min(1)
      .max(64),
    threshold: z.number().int().min(2).max(20),
    custodians: z.array(custodian).min(2).max(20),
    outDir: filePath,
  }),
  escrowInspect: z.strictObject({ bundle }),
  escrowAddShare: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(8192) }),
    z.strictObject({
      kind: z.literal('image'),
      name: z.string().min(1).max(256),
      base64: z
        .string()
        .min(1)
        .max(MAX_SHARE_IMAGE_BASE64)
        .regex(/^[A-Za-z0-9+/]+=*$/, 'not base64'),
    }),
  ]),
  escrowDiscardShares: z.strictObject({ shareIds: z.array(hostId('share')).max(64) }),
  escrowVerify: z.strictObject({ bundle, shareIds }),
  escrowRestore: z.strictObject({
    bundle,
    shareIds,
    version: version.optional(),
    import: z.boolean().optional(),
    outFile: filePath.optional(),
  }),
};
