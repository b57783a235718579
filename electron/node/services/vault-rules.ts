// The vault's rules that need no I/O: input checks, env-var hints, and how a record changes when a version is added.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRecord, KeyVersionRecord } from '../../../shared/domain/inventory.js';
import { isEnvVarName } from '../../../shared/domain/env-var-name.js';
import type { GenerateRequest } from '../../../shared/domain/generated-key.js';

const TAG = /^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$/;
export const MAX_TAGS = 32;
export const MAX_NOTES = 2000;

/** `pii-enc-key` -> `PII_ENC_KEY`: the variable a service most likely reads the key from. */
export function envVarHint(name: string): string {
  const upper = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[0-9]/.test(upper) ? `KEY_${upper}` : upper;
}

export interface Labels {
  envVar?: string;
  tags?: string[];
  notes?: string;
}

/** Check the labels a user typed; none may hold the secret itself (they are written to inventory.json). */
export function checkLabels(labels: Labels, secret: string): { envVar?: string; tags?: string[]; notes?: string } {
  const out: { envVar?: string; tags?: string[]; notes?: string } = {};
  if (labels.envVar !== undefined) {
    if (!isEnvVarName(labels.envVar))
      throw new KeyturnError(
        'invalid-input',
        'The env-var hint must be a variable name: letters, digits and _, not starting with a digit.',
      );
    out.envVar = labels.envVar;
  }
  if (labels.tags !== undefined) {
    const tags = [...new Set(labels.tags)];
    if (tags.length > MAX_TAGS) throw new KeyturnError('invalid-input', `A key takes at most ${MAX_TAGS} tags.`);
    const bad = tags.find((t) => !TAG.test(t));
    if (bad !== undefined)
      throw new KeyturnError('invalid-input', 'Tags are 1-64 letters, digits or . _ : / = -, starting with a letter or digit.');
    out.tags = tags;
  }
  if (labels.notes !== undefined) {
    if (labels.notes.length > MAX_NOTES) throw new KeyturnError('invalid-input', `Notes are at most ${MAX_NOTES} characters.`);
    out.notes = labels.notes;
  }
  const texts = [out.envVar, ...(out.tags ?? []), out.notes].filter((t): t is string => t !== undefined);
  if (secret.length >= 8 && texts.some((t) => t.includes(secret))) {
    throw new KeyturnError(
      'invalid-input',
      'A tag, note or env-var hint contains the key itself; labels are stored in plain text, so leave the key out of them.',
    );
  }
  return out;
}

export function notFound(name: string): KeyturnError {
  return new KeyturnError('not-found', `No key named "${name}" is in the inventory; run "keyturn keys list" to see the names.`);
}

export function findVersion(record: KeyRecord, version: number): KeyVersionRecord {
  const found = record.versions.find((v) => v.version === version);
  if (!found) {
    const known = record.versions.map((v) => `v${v.version}`).join(', ');
    throw new KeyturnError('not-found', `${record.name} has no version ${version} (it has ${known}).`);
  }
  return found;
}

export function nextVersion(record: KeyRecord | undefined): number {
  // Retired versions keep their number: a number is never reused, so nothing is ever overwritten in place.
  return record ? Math.max(0, ...record.versions.map((v) => v.version)) + 1 : 1;
}

/** Options that make another key like the record's current one (same kind, algorithm and size). */
export function regenOptions(record: KeyRecord): GenerateRequest {
  const current = record.versions.find((v) => v.version === record.current);
  const options: GenerateRequest = { kind: record.kind, ...(record.alg ? { alg: record.alg } : {}) };
  if (current && record.kind === 'jwt-rsa') options.bits = current.size;
  if (current && (record.kind === 'secret' || record.kind === 'jwt-hmac')) options.bytes = Math.ceil(current.size / 8);
  return options;
}

/** The record with `added` as its current version; the previous current one becomes `retiring`. */
export function withNewVersion(record: KeyRecord, added: KeyVersionRecord, labels: Labels): KeyRecord {
  return {
    ...record,
    ...(labels.envVar !== undefined ? { envVar: labels.envVar } : {}),
    ...(labels.tags !== undefined ? { tags: labels.tags } : {}),
    ...(labels.notes !== undefined ? { notes: labels.notes } : {}),
    current: added.version,
    versions: [...record.versions.map((v) => (v.status === 'current' ? { ...v, status: 'retiring' as const } : v)), added],
  };
}

/** The record with `version` current again; the version that was current becomes retiring (kept, not deleted). */
export function withCurrent(record: KeyRecord, version: number): KeyRecord {
  return {
    ...record,
    current: version,
    versions: record.versions.map((v) =>
      v.version === version ? { ...v, status: 'current' as const } : v.status === 'current' ? { ...v, status: 'retiring' as const } : v,
    ),
  };
}
