// The push plan, computed from fingerprints only: per secret, create, update, unchanged or conflict, and per key what
// changes. Pure: the service reads the remote secret and fingerprints what it holds; values never reach this module.
import type { ErrorCode } from '../domain/errors.js';

export type PlanAction = 'create' | 'update' | 'unchanged' | 'conflict';
export type PushStage = 'current' | 'pending';

/** What the target holds for one secret, as fingerprints. */
export type RemoteObservation =
  | { state: 'absent' }
  | { state: 'deleted' }
  | {
      state: 'present';
      versionId: string;
      /** A single secret: the fingerprint of its value read as the key's kind ('unreadable' when it is not such a key). */
      fingerprint?: string;
      /** A bundle: field -> fingerprint of its string value; undefined when the value is not a JSON object. */
      fields?: ReadonlyMap<string, string>;
    };

/** One key version going into a secret (or a bundle field). */
export interface PlanInput {
  key: string;
  version: number;
  fingerprint: string;
  field?: string;
  /** The last push of this key to this secret (and field), with the fingerprint of the version pushed then. */
  lastPush?: { remoteVersion: string; fingerprint: string; version: number };
}

export interface PlanEntry {
  key: string;
  version: number;
  fingerprint: string;
  field?: string;
  /** Fingerprint of what the target holds for this key now; absent when it holds nothing. */
  remoteFingerprint?: string;
  change: 'add' | 'replace' | 'same';
}

export interface PlanItem {
  secret: string;
  /** Set when the name was derived from the key name (Azure: PII_ENC_KEY -> pii-enc-key), so the mapping is shown. */
  mappedFrom?: string;
  bundle: boolean;
  action: PlanAction;
  stage: PushStage;
  /** A conflict's reason, as a sentence, and its code. */
  reason?: string;
  code?: ErrorCode;
  /** The secret is soft-deleted and will be recovered before the write. */
  recover?: boolean;
  remoteVersion?: string;
  entries: PlanEntry[];
  /** Bundle fields that are not Keyturn's to change and stay byte for byte. */
  keptFields?: number;
}

export interface PushPlan {
  target: string;
  items: PlanItem[];
}

export interface PlanItemInput {
  secret: string;
  mappedFrom?: string;
  bundle: boolean;
  stage: PushStage;
  inputs: PlanInput[];
  remote: RemoteObservation;
  /** Recover a soft-deleted secret instead of stopping at it. */
  recover?: boolean;
  /** Write over a remote change Keyturn did not make. */
  force?: boolean;
}

function remoteFingerprintFor(input: PlanInput, bundle: boolean, remote: RemoteObservation): string | undefined {
  if (remote.state !== 'present') return undefined;
  if (!bundle) return remote.fingerprint;
  return input.field !== undefined ? remote.fields?.get(input.field) : undefined;
}

export function planItem(item: PlanItemInput): PlanItem {
  const { remote, bundle, secret } = item;
  const base = {
    secret,
    ...(item.mappedFrom !== undefined ? { mappedFrom: item.mappedFrom } : {}),
    bundle,
    stage: item.stage,
    ...(remote.state === 'present' ? { remoteVersion: remote.versionId } : {}),
  };
  const entries: PlanEntry[] = item.inputs.map((input) => {
    const remoteFingerprint = remoteFingerprintFor(input, bundle, remote);
    const change = remoteFingerprint === undefined ? 'add' : remoteFingerprint === input.fingerprint ? 'same' : 'replace';
    return {
      key: input.key,
      version: input.version,
      fingerprint: input.fingerprint,
      ...(input.field !== undefined ? { field: input.field } : {}),
      ...(remoteFingerprint !== undefined ? { remoteFingerprint } : {}),
      change,
    };
  });
  const conflict = (code: ErrorCode, reason: string): PlanItem => ({ ...base, action: 'conflict', code, reason, entries });

  if (remote.state === 'deleted') {
    if (item.recover) return { ...base, action: 'update', recover: true, entries: entries.map((e) => ({ ...e, change: 'add' })) };
    return conflict(
      'deleted-recoverable',
      `${secret} is deleted but recoverable at the target; recover it (--recover) or purge it first, then push again.`,
    );
  }
  if (remote.state === 'absent') return { ...base, action: 'create', entries };
  if (bundle && remote.fields === undefined) {
    return conflict(
      'conflict',
      `${secret} does not hold a JSON object, so fields cannot be merged into it without losing what is there; choose another bundle name.`,
    );
  }
  if (!item.force) {
    // A value Keyturn did not write: neither this version nor the one it pushed last. Overwriting it could undo someone's change.
    const changed = item.inputs.find((input, i) => {
      const seen = entries[i]!.remoteFingerprint;
      return input.lastPush !== undefined && seen !== undefined && seen !== input.fingerprint && seen !== input.lastPush.fingerprint;
    });
    if (changed) {
      const where = bundle ? `field ${changed.field} of ${secret}` : secret;
      return conflict(
        'conflict',
        `${where} was changed at the target since Keyturn pushed ${changed.key}@v${changed.lastPush!.version}; check who changed it, then push again with --force to replace it.`,
      );
    }
  }
  const keptFields = bundle ? [...remote.fields!.keys()].filter((f) => !item.inputs.some((i) => i.field === f)).length : undefined;
  const action: PlanAction = entries.every((e) => e.change === 'same') ? 'unchanged' : 'update';
  return { ...base, action, entries, ...(keptFields !== undefined ? { keptFields } : {}) };
}

/** Plan actions that write something. */
export function writes(item: PlanItem): boolean {
  return item.action === 'create' || item.action === 'update';
}
