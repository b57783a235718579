// Request schemas of the keys feature.
import { z } from 'zod';
import { empty, keyName, version } from '../schema-parts.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { KeysContract } from './keys.js';

export const KEYS_SCHEMAS: FeatureSchemas<KeysContract> = {
  listKeys: empty,
  revealKey: z.strictObject({ name: keyName, version: version.optional() }),
  copyKey: z.strictObject({ name: keyName, version: version.optional() }),
  rotateKey: z.strictObject({ name: keyName }),
  retireKeyVersion: z.strictObject({ name: keyName, version }),
  deleteKey: z.strictObject({ name: keyName, confirmName: z.string().max(256) }),
};
