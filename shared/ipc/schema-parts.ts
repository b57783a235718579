// The zod pieces every feature's request schemas are built from: names, versions, paths and ids, each with a rule
// the user can act on. The renderer is untrusted input; the hosts parse with these before a handler runs.
import { z } from 'zod';
import { ENV_VAR_NAME_PATTERN, ENV_VAR_NAME_RULE } from '../domain/env-var-name.js';
import { KEY_NAME_PATTERN } from '../domain/key-names.js';

export const empty = z.strictObject({});
export const keyName = z.string().regex(KEY_NAME_PATTERN, 'use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const envVar = z.string().regex(ENV_VAR_NAME_PATTERN, `use ${ENV_VAR_NAME_RULE}`);
export const version = z.number().int().min(1).max(999_999_999);
/** Ids the host made (random base64url); anything else is refused before a lookup. */
export const hostId = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, `not a ${what} id`);
export const filePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'paths cannot contain NUL');
export const profileId = z.string().min(1).max(128);
