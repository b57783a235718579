// The audit log's line: what happened to which key, when, with what outcome, hash-chained so edits show. No secrets.
import type { ErrorCode } from './errors.js';

/**
 * `use`: a value read from the keychain for an operation inside Keyturn (e.g. `fernet encrypt --key NAME`), not shown.
 * `push` / `promote`: a write to a cloud secret (the target names it, never the value).
 */
export const AUDIT_ACTIONS = [
  'generate',
  'store',
  'reveal',
  'copy',
  'export',
  'use',
  'rotate',
  'retire',
  'delete',
  'import',
  // a value written into a .env file (env fix, env set): the file is the target, the variables the key
  'env-write',
  'push',
  'promote',
  // the inventory's unkeyed fingerprints replaced by keyed ones, once (detail: how many versions)
  'migrate-fingerprints',
  // long work that touches keys (re-encryption, bulk push): one line when it starts, pauses, resumes and ends
  'job-start',
  'job-pause',
  'job-resume',
  'job-cancel',
  'job-finish',
  'job-fail',
  // escrow: `key` is "escrow:<bundle id>", `detail` names the key versions, the share set and its custodians
  'escrow-create',
  'escrow-add-version',
  'escrow-verify',
  'escrow-restore',
  'escrow-rekey',
  // rotation: an earlier version made current again, a key's policy set, a plan made, a step run or ticked off
  'revert',
  'policy',
  'rotate-plan',
  'rotate-step',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'ok' | 'failed' | 'refused';

export interface AuditEntry {
  ts: string; // ISO 8601
  /** One of AUDIT_ACTIONS; later issues add their own (push, ...), so readers accept any string. */
  action: AuditAction | (string & {});
  key: string;
  version?: number;
  /** Where a value went or came from, e.g. "aws:eu-west-1/app/prod" or an .env path; never the value. */
  target?: string;
  outcome: AuditOutcome;
  /** The error code when the outcome is not ok. */
  code?: ErrorCode;
  /** A short, value-free account of what was done (counts, versions), e.g. "12,000 rows re-encrypted, v1 -> v2". */
  detail?: string;
  /** `hash` of the line before, or AUDIT_GENESIS on the first line. */
  prev: string;
  /** SHA-256 (hex) of canonicalAuditLine(this line without `hash`), which includes `prev`. */
  hash: string;
}

/** What a caller records; the log adds ts, prev and hash. */
export type AuditEvent = Omit<AuditEntry, 'ts' | 'prev' | 'hash'>;

export const AUDIT_GENESIS = '0'.repeat(64);

/** The fields a line may hold, in the order they are hashed and written. */
export const AUDIT_FIELDS = ['ts', 'action', 'key', 'version', 'target', 'outcome', 'code', 'detail', 'prev'] as const;

/** The exact text that is hashed: the line's fields in AUDIT_FIELDS order, absent ones left out, no `hash`. */
export function canonicalAuditLine(entry: Omit<AuditEntry, 'hash'>): string {
  const ordered: Record<string, unknown> = {};
  for (const field of AUDIT_FIELDS) {
    const value = entry[field];
    if (value !== undefined) ordered[field] = value;
  }
  return JSON.stringify(ordered);
}

export interface AuditVerification {
  ok: boolean;
  lines: number;
  /** 1-based line number of the first line that fails. */
  firstBadLine?: number;
  reason?: string;
}
