// Request schemas of the app feature.
import { z } from 'zod';
import { empty } from '../schema-parts.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { AppContract } from './app.js';

export const APP_SCHEMAS: FeatureSchemas<AppContract> = {
  appInfo: empty,
  keychainStatus: empty,
  pickPaths: z.strictObject({ mode: z.enum(['files', 'folder']) }),
};
