// A zod schema for every channel's request: handlers parse with it before anything else (the renderer is untrusted input).
import { z } from 'zod';
import { OUTPUT_FORMATS } from '../domain/generated-key.js';
import { KEY_KINDS } from '../domain/key-kinds.js';
import { KEY_NAME_PATTERN } from '../domain/key-names.js';
import type { Channel, RequestOf } from './contract.js';

const empty = z.strictObject({});
const keyName = z.string().regex(KEY_NAME_PATTERN, 'use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');
const envVar = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'use letters, digits and "_", not starting with a digit');
const version = z.number().int().min(1).max(999_999_999);
// Drafts are ids the host made (random base64url); anything else is refused before a lookup.
const draftId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a draft id');
const filePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'paths cannot contain NUL');
const profileId = z.string().min(1).max(128);

export const REQUEST_SCHEMAS: { [C in Channel]: z.ZodType<RequestOf<C>> } = {
  appInfo: empty,
  keychainStatus: empty,
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
  listKeys: empty,
  revealKey: z.strictObject({ name: keyName, version: version.optional() }),
  copyKey: z.strictObject({ name: keyName, version: version.optional() }),
  rotateKey: z.strictObject({ name: keyName }),
  retireKeyVersion: z.strictObject({ name: keyName, version }),
  deleteKey: z.strictObject({ name: keyName, confirmName: z.string().max(256) }),
  auditList: z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }),
  auditVerify: empty,
  envProfiles: empty,
  envCheck: z.strictObject({
    paths: z.array(filePath).min(1).max(64),
    profile: profileId.optional(),
    schemaFile: filePath.optional(),
    example: filePath.optional(),
  }),
  envFix: z.strictObject({
    file: filePath,
    profile: profileId.optional(),
    schemaFile: filePath.optional(),
    storePrefix: z.string().max(64).optional(),
    dryRun: z.boolean().optional(),
  }),
  pickPaths: z.strictObject({ mode: z.enum(['files', 'folder']) }),
};

/** One readable sentence from a zod failure, naming the fields; never echoes the submitted values. */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
    return `${where}: ${issue.message}`;
  });
  return parts.join('; ');
}
