// Rotation policies and due dates: per-key maxAge and warn (defaults per kind), and the due list `rotate due` prints.
import { KeyturnError } from '../domain/errors.js';
import type { KeyRecord, RotationPolicy } from '../domain/inventory.js';
import type { KeyKind } from '../domain/key-kinds.js';
import { DAY_MS, parsePolicyDuration } from './durations.js';

/**
 * Defaults per kind. HMAC secrets are shared with every service that verifies tokens, so a leak is likelier and they
 * turn over fastest; session secrets too. A Fernet key's rotation re-encrypts every stored row, and an asymmetric
 * private key never leaves the signer, so both get half a year.
 */
export const DEFAULT_POLICIES: Record<KeyKind, Required<RotationPolicy>> = {
  fernet: { maxAge: '180d', warn: '30d' },
  secret: { maxAge: '90d', warn: '14d' },
  'jwt-hmac': { maxAge: '90d', warn: '14d' },
  'jwt-rsa': { maxAge: '180d', warn: '30d' },
  'jwt-ec': { maxAge: '180d', warn: '30d' },
  'jwt-ed25519': { maxAge: '180d', warn: '30d' },
};

export interface EffectivePolicy {
  maxAge: string;
  warn: string;
  maxAgeMs: number;
  warnMs: number;
  source: 'key' | 'default';
}

/** Checks a policy a user asked for: maxAge and warn parse, and the warning comes before the due date. */
export function checkPolicy(policy: RotationPolicy, kind: KeyKind): Required<RotationPolicy> {
  const maxAgeMs = parsePolicyDuration(policy.maxAge, 'The maximum age (--max-age)');
  const warn = policy.warn ?? defaultWarn(maxAgeMs, kind);
  const warnMs = parsePolicyDuration(warn, 'The warning (--warn)');
  if (warnMs >= maxAgeMs)
    throw new KeyturnError(
      'invalid-input',
      `The warning (${warn}) must be shorter than the maximum age (${policy.maxAge}): it is how long before the due date the key shows as due soon.`,
    );
  return { maxAge: policy.maxAge.trim(), warn: warn.trim() };
}

/** Without --warn: the kind's default lead time, shortened to a sixth of maxAge for short policies. */
function defaultWarn(maxAgeMs: number, kind: KeyKind): string {
  const kindWarn = DEFAULT_POLICIES[kind].warn;
  if (parsePolicyDuration(kindWarn) < maxAgeMs) return kindWarn;
  const days = Math.floor(maxAgeMs / 6 / DAY_MS);
  return days >= 1 ? `${days}d` : `${Math.max(1, Math.floor(maxAgeMs / 6 / 3_600_000))}h`;
}

export function effectivePolicy(record: KeyRecord): EffectivePolicy {
  const own = record.policy;
  const chosen = own ? { maxAge: own.maxAge, warn: own.warn ?? DEFAULT_POLICIES[record.kind].warn } : DEFAULT_POLICIES[record.kind];
  const maxAgeMs = parsePolicyDuration(chosen.maxAge);
  let warnMs = parsePolicyDuration(chosen.warn);
  if (warnMs >= maxAgeMs) warnMs = Math.floor(maxAgeMs / 6);
  return { maxAge: chosen.maxAge, warn: chosen.warn, maxAgeMs, warnMs, source: own ? 'key' : 'default' };
}

/** A key's policy as `keys policy` shows it. */
export interface KeyPolicy extends EffectivePolicy {
  key: string;
}

export type DueState = 'past' | 'near' | 'ok';

export interface DueEntry {
  key: string;
  kind: KeyKind;
  version: number;
  /** When the current version was made. */
  created: string;
  ageDays: number;
  due: string;
  /** Whole days until the due date; negative when past. */
  daysLeft: number;
  state: DueState;
  policy: { maxAge: string; warn: string; source: 'key' | 'default' };
  /** A saved plan that rotates this key and is not finished yet. */
  rotation?: { plan: string; done: number; steps: number };
}

export interface DueReport {
  now: string;
  entries: DueEntry[];
  counts: Record<DueState, number>;
  /** 1 when any key is past due (for CI), else 0. */
  exitCode: 0 | 1;
}

/** One entry per key, by its current version's age; most urgent first (past, near, ok; then by due date, then name). */
export function dueReport(keys: KeyRecord[], now: Date): DueReport {
  const entries = keys.map((record) => dueEntry(record, now));
  const rank: Record<DueState, number> = { past: 0, near: 1, ok: 2 };
  entries.sort((a, b) => rank[a.state] - rank[b.state] || a.due.localeCompare(b.due) || a.key.localeCompare(b.key));
  const counts: Record<DueState, number> = { past: 0, near: 0, ok: 0 };
  for (const e of entries) counts[e.state] += 1;
  return { now: now.toISOString(), entries, counts, exitCode: counts.past > 0 ? 1 : 0 };
}

export function dueEntry(record: KeyRecord, now: Date): DueEntry {
  const current = record.versions.find((v) => v.version === record.current);
  if (!current) throw new KeyturnError('internal', `The inventory lists no version ${record.current} for ${record.name}.`);
  const created = Date.parse(current.created);
  if (Number.isNaN(created)) throw new KeyturnError('invalid-input', `${record.name}@v${current.version} has no readable creation time.`);
  const policy = effectivePolicy(record);
  const due = created + policy.maxAgeMs;
  const left = due - now.getTime();
  const state: DueState = left <= 0 ? 'past' : left <= policy.warnMs ? 'near' : 'ok';
  return {
    key: record.name,
    kind: record.kind,
    version: current.version,
    created: current.created,
    ageDays: Math.floor((now.getTime() - created) / DAY_MS),
    due: new Date(due).toISOString(),
    // Floor: a key due in 6.5 days has 6 whole days left; one past by an hour shows -1.
    daysLeft: Math.floor(left / DAY_MS),
    state,
    policy: { maxAge: policy.maxAge, warn: policy.warn, source: policy.source },
  };
}
