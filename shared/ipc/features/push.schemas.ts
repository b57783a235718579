// Request schemas of the push feature, and of a push job's parameters (the job file holds them too).
import { z } from 'zod';
import { AZURE_CREDENTIAL_KINDS, TARGET_NAME } from '../../push/targets.js';
import { empty, filePath, keyName, version } from '../schema-parts.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { PushContract } from './push.js';

const targetName = z.string().regex(TARGET_NAME, 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
const url = z.string().min(1).max(2048);
const keyRef = z.strictObject({ name: keyName, version: version.optional() });

/** Field shapes only; checkTarget in the service gives each bad value its own sentence. */
const target = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('aws'),
    name: targetName,
    region: z.string().min(1).max(64),
    profile: z.string().min(1).max(64).optional(),
    endpoint: url.optional(),
    kmsKeyId: z.string().min(1).max(2048).optional(),
  }),
  z.strictObject({
    kind: z.literal('azure'),
    name: targetName,
    vaultUrl: url,
    tenant: z.string().min(1).max(128).optional(),
    credential: z.enum(AZURE_CREDENTIAL_KINDS),
    authorityHost: url.optional(),
    apiVersion: z.string().min(1).max(32).optional(),
    caFile: filePath.optional(),
    challengeResourceCheck: z.boolean(),
  }),
]);

export const pushRequest = z.strictObject({
  keys: z.array(keyRef).min(1).max(1000),
  target: targetName,
  secretName: z.string().min(1).max(512).optional(),
  bundle: z.string().min(1).max(512).optional(),
  stage: z.enum(['current', 'pending']).optional(),
  recover: z.boolean().optional(),
  force: z.boolean().optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  description: z.string().max(2048).optional(),
});

export const pushJobParams = z.strictObject({
  request: pushRequest,
  confirmed: z
    .strictObject({
      items: z
        .array(
          z.strictObject({
            secret: z.string().min(1).max(512),
            action: z.enum(['create', 'update', 'unchanged', 'conflict']),
            remoteVersion: z.string().max(256).optional(),
          }),
        )
        .max(1000),
    })
    .optional(),
});

export const PUSH_SCHEMAS: FeatureSchemas<PushContract> = {
  listTargets: empty,
  addTarget: z.strictObject({ target, replace: z.boolean().optional() }),
  removeTarget: z.strictObject({ name: targetName }),
  testTarget: z.strictObject({ name: targetName }),
  planPush: pushRequest,
  promotePush: z.strictObject({ target: targetName, keys: z.array(keyRef).min(1).max(1000) }),
  pushStatus: z.strictObject({ target: targetName.optional() }),
  offlineMode: empty,
  setOfflineMode: z.strictObject({ offline: z.boolean() }),
};
