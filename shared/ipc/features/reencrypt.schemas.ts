// Request schemas of the re-encrypt feature; the job's start parameters are shared with the jobs feature's union.
import { z } from 'zod';
import { envVar, filePath, hostId, keyName } from '../schema-parts.js';
import type { FeatureSchemas } from './feature-schemas.js';
import type { ReencryptContract } from './reencrypt.js';

/** Table, column and schema names as the catalog holds them; only names the database confirms reach a statement. */
const sqlName = z
  .string()
  .min(1)
  .max(128)
  .refine((n) => !n.includes('\0'), 'names cannot contain NUL');

const connection = { envFile: filePath, dbEnv: envVar };
const table = {
  keyName,
  table: sqlName,
  columns: z.array(sqlName).min(1).max(64),
  pk: z.array(sqlName).min(1).max(16).optional(),
  schema: sqlName.optional(),
};

export const reencryptTableRequest = z.strictObject({ ...connection, ...table });
export const reencryptStartParams = z.strictObject({
  ...connection,
  ...table,
  dryRun: z.boolean().optional(),
  batchSize: z.number().int().min(1).max(50_000).optional(),
});

export const REENCRYPT_SCHEMAS: FeatureSchemas<ReencryptContract> = {
  reencryptScan: z.strictObject({ ...connection, keyName, table: sqlName.optional(), schema: sqlName.optional() }),
  reencryptVerify: reencryptTableRequest,
  reencryptRows: z.strictObject({ jobId: hostId('job') }),
};
