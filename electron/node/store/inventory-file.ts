// Reads and writes KEYTURN_HOME/inventory.json: metadata for each key and version, validated on read, never a value.
import { z } from 'zod';
import type { Inventory } from '../../../shared/domain/inventory.js';
import { KEY_KINDS } from '../../../shared/domain/key-kinds.js';
import { KEY_NAME_PATTERN } from '../../../shared/domain/key-names.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

const versionSchema = z.object({
  version: z.number().int().positive(),
  status: z.enum(['current', 'retiring', 'retired']),
  created: z.string(),
  fingerprint: z.string(),
  publicFingerprint: z.string().optional(),
  size: z.number().int().nonnegative(),
  chunks: z.number().int().positive(),
  origin: z.enum(['generated', 'imported']).optional(),
  pushes: z
    .array(
      z.object({
        target: z.string(),
        secret: z.string(),
        field: z.string().optional(),
        remoteVersion: z.string(),
        stage: z.enum(['current', 'pending']),
        at: z.string(),
      }),
    )
    .optional(),
});

const recordSchema = z.looseObject({
  name: z.string().regex(KEY_NAME_PATTERN),
  kind: z.enum(KEY_KINDS),
  alg: z.string().optional(),
  envVar: z.string().optional(),
  tags: z.array(z.string()),
  notes: z.string().optional(),
  current: z.number().int().positive(),
  versions: z.array(versionSchema),
});

const inventorySchema = z.looseObject({ format: z.literal(1), keys: z.array(recordSchema) });

export function emptyInventory(): Inventory {
  return { format: 1, keys: [] };
}

export async function readInventory(path: string): Promise<Inventory> {
  return readJsonFile<Inventory>(path, inventorySchema, 'a Keyturn inventory', emptyInventory);
}

export async function writeInventory(path: string, inventory: Inventory): Promise<void> {
  const sorted: Inventory = { ...inventory, keys: [...inventory.keys].sort((a, b) => a.name.localeCompare(b.name)) };
  await writeJsonFile(path, sorted);
}
