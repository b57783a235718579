// What the push feature takes and gives, shared by the service, the CLI, the IPC contract and the UI. Names,
// fingerprints and version ids only: no type here has room for a value.
import type { ErrorCode } from '../domain/errors.js';
import type { KeyRef } from '../domain/key-names.js';
import type { DriftState } from './drift.js';
import type { PlanAction, PlanEntry, PlanItem, PushStage } from './push-plan.js';

export interface PushRequest {
  keys: KeyRef[];
  /** The target's name in targets.json. */
  target: string;
  /** One key into a secret of this name (default: the key name, mapped on Azure). */
  secretName?: string;
  /** Several keys into one secret holding a JSON object keyed by their env-var names. */
  bundle?: string;
  /** `pending`: AWSPENDING only, for `push promote` later (AWS). */
  stage?: PushStage;
  /** Recover a soft-deleted secret before writing. */
  recover?: boolean;
  /** Write over a remote value Keyturn did not write. */
  force?: boolean;
  /** Azure: notBefore now, expiresOn this many days later. */
  expiresInDays?: number;
  /** AWS: the description of a secret Keyturn creates. */
  description?: string;
}

/** What a confirmation holds of a plan: per secret, the action shown and the remote version it was computed from. */
export interface ConfirmedPlan {
  items: Pick<PlanItem, 'secret' | 'action' | 'remoteVersion'>[];
}

export type PushOutcome = 'written' | 'unchanged' | 'failed' | 'skipped';

export interface PushItemResult {
  secret: string;
  mappedFrom?: string;
  bundle: boolean;
  action: PlanAction;
  stage: PushStage;
  outcome: PushOutcome;
  /** The version the target holds for these keys now (written or found unchanged). */
  versionId?: string;
  entries: PlanEntry[];
  warning?: string;
  error?: { code: ErrorCode; message: string };
}

export interface PushResult {
  target: string;
  items: PushItemResult[];
  ok: boolean;
}

export interface TargetTestResult {
  target: string;
  identity: string;
  note?: string;
  ms: number;
}

export interface PromoteResult {
  target: string;
  items: { key: string; version: number; secret: string; versionId: string }[];
}

export interface PushStatusItem {
  key: string;
  /** The version pushed last to this secret. */
  version: number;
  localCurrent: number;
  target: string;
  secret: string;
  field?: string;
  stage: PushStage;
  remoteVersion: string;
  pushedAt: string;
  /** Absent when the target could not be read; then `error` says why. */
  state?: DriftState;
  error?: { code: ErrorCode; message: string };
}

export interface PushStatusReport {
  items: PushStatusItem[];
  /** Keys with no push record at all (in the inventory, never pushed). */
  notPushed: string[];
  /** True when any item is not in sync or could not be read: `push status` exits 1. */
  drift: boolean;
}

export interface OfflineMode {
  offline: boolean;
  /** Why: "KEYTURN_OFFLINE is set" or "the app's offline switch is on". */
  reason?: string;
}

/** A push run as a job: the request and the plan the user confirmed (persisted in the job file: never a value). */
export interface PushJobParams {
  request: PushRequest;
  confirmed?: ConfirmedPlan;
}
