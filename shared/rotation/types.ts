// The rotation planner's inputs (what Keyturn knows: keys, .env facts, push targets, databases, escrow) and its plan.
import type { KeyRecord } from '../domain/inventory.js';

/** The Keyturn services a step can run through; a step whose service Keyturn does not have yet stays manual. */
export const STEP_SERVICES = ['vault', 'env', 'backup', 'push', 'reencrypt', 'escrow'] as const;
export type StepService = (typeof STEP_SERVICES)[number];

/** A token lifetime read from an .env file: a validated variable name and its whole-number value. */
export interface LifetimeFact {
  variable: string;
  value: number;
}

/** What the planner may know of one .env file: its path, the variable names in it, and token lifetimes. Never values. */
export interface EnvFileFacts {
  path: string;
  variables: string[];
  lifetimes: LifetimeFact[];
}

export type TargetKind = 'aws' | 'azure';

/** A push target (issue 11's targets.json) and where this key goes in it: its own secret, or a field of a bundle. */
export interface PushTargetInput {
  kind: TargetKind;
  name: string;
  /** One key to one secret; default: the key name on AWS, the mapped name (`PII_ENC_KEY` -> `pii-enc-key`) on Azure. */
  secret?: string;
  /** AWS only: a JSON-object secret keyed by env-var names (`resumerag/production`). */
  bundle?: string;
  /** Azure: the vault's name (the first label of its URL), for the `az` commands of manual steps. */
  vaultName?: string;
}

export type DbEngine = 'postgresql' | 'mysql' | 'sqlite';

export interface DbTable {
  table: string;
  columns: string[];
  pk?: string;
}

/** A database that stores tokens under a Fernet key: its URL lives in an environment variable, never in the plan. */
export interface DatabaseInput {
  engine: DbEngine;
  /** The variable that holds the URL (`DATABASE_URL`). */
  urlVar: string;
  /** The .env file the variable is read from; absent: the environment. */
  envFile?: string;
  tables: DbTable[];
}

export interface EscrowFact {
  key: string;
  /** The escrow bundle file that holds the key's versions (issue 14). */
  bundle?: string;
}

/** How the application is restarted and checked; absent, the steps say what to do in words. */
export interface AppCommands {
  restart?: string;
  health?: string;
  /** Where verifiers fetch the JWKS (`https://api.example.com/.well-known/jwks.json`), for the JWKS checks. */
  jwksUrl?: string;
}

export interface PlanInput {
  /** Chosen by the caller (the planner is pure): used in `keyturn rotate run-step ID N` and file names. */
  id: string;
  /** ISO 8601; the plan's creation time and the stamp of backup file names. */
  now: string;
  keys: KeyRecord[];
  envFiles?: EnvFileFacts[];
  targets?: PushTargetInput[];
  databases?: DatabaseInput[];
  escrow?: EscrowFact[];
  /** The step operations Keyturn can run where the plan is made (the executor registry); the others are manual. */
  runnable?: StepOp[];
  app?: AppCommands;
  /** Where database dumps go (default `backups`). */
  backupDir?: string;
  /** The envcheck profile the .env files follow, for the check commands. */
  profile?: string;
  /** Overrides the computed overlap (`7d`). */
  overlap?: string;
  /**
   * HS* keys: the variable that holds the list of accepted secrets, where the application supports one. Found in the
   * .env files when absent (`JWT_SECRET_KEYS`, `JWT_SECRET_KEY_PREVIOUS`, ...).
   */
  acceptedSecretsVar?: Record<string, string>;
}

/** What a step does, for the step executor; manual-only steps have no action. */
export type StepAction =
  | { op: 'backup-db'; engine: DbEngine; urlVar: string; envFile?: string; file: string }
  | { op: 'backup-file'; path: string; copy: string }
  | { op: 'new-version'; key: string; version: number }
  | { op: 'escrow-update'; key: string; version: number; bundle?: string }
  | { op: 'env-set'; file: string; variable: string; refs: string[] }
  | {
      op: 'push';
      key: string;
      version: number;
      target: string;
      stage?: 'pending';
      /** The JSON-object secret the key is a field of (`--bundle`); wins over `secretName`, as in the command. */
      bundle?: string;
      /** The secret the key goes into alone (`--secret-name`); absent: the push service's default name. */
      secretName?: string;
    }
  | { op: 'promote'; key: string; version: number; target: string }
  | {
      op: 'jwks-export';
      key: string;
      file: string;
      /** One version alone (the JWKS after the overlap); absent: every live version, current first. */
      version?: number;
    }
  | { op: 'reencrypt'; key: string; engine: DbEngine; urlVar: string; envFile?: string; table: string; columns: string[]; pk?: string }
  | {
      op: 'reencrypt-verify';
      key: string;
      engine: DbEngine;
      urlVar: string;
      envFile?: string;
      table: string;
      columns: string[];
      pk?: string;
    }
  | { op: 'retire'; key: string; version: number };

export type StepOp = StepAction['op'];

export type StepRunner = { mode: 'automatic'; service: StepService } | { mode: 'manual'; service?: StepService };

export type StepPhase = 'prepare' | 'publish' | 'switch' | 'retire';

export interface StepCheck {
  /** A command whose output shows the step worked; absent when the check is something to look at. */
  command?: string;
  /** What the check prints or shows when the step worked. */
  expect: string;
  /** `expect` describes what to look for rather than quoting output. */
  prose?: true;
}

export interface StepRollback {
  /** The command that undoes the step, when one does. */
  command?: string;
  text: string;
}

/** A step may not start before some time after another step was done (the overlap window). */
export interface StepWait {
  afterStep: number;
  ms: number;
  reason: string;
}

export interface PlanStep {
  /** 1-based, in the order the steps run. */
  n: number;
  /** Stable within a plan: `backup-db-1`, `pii-enc-key:new-version`. */
  id: string;
  key?: string;
  phase: StepPhase;
  title: string;
  /** Why the step is there and what it changes, in a sentence or two. */
  why: string;
  runner: StepRunner;
  action?: StepAction;
  /** The exact command (several lines for a shell snippet); absent for steps that are only something to do. */
  command?: string;
  /** Comments that go with the command: what to expect while it runs, what it does not print. */
  notes?: string[];
  check: StepCheck;
  /** Absent past the point of no return. */
  rollback?: StepRollback;
  pointOfNoReturn?: true;
  /** What users notice (logouts, a maintenance window); shown as a warning. */
  effect?: string;
  wait?: StepWait;
}

/** The arithmetic behind an overlap window, for the runbook: each lifetime found and the longest. */
export interface OverlapWindow {
  ms: number;
  /** Where the figure comes from: `JWT_EXPIRE_MINUTES=15 (infra/.env) = 15 minutes`, or a default with its reason. */
  basis: string[];
  source: 'env' | 'default' | 'override';
}

export interface PlannedKey {
  name: string;
  kind: KeyRecord['kind'];
  alg?: string;
  envVar?: string;
  from: number;
  to: number;
  overlap: OverlapWindow;
  /** Sentences on what users notice: forced logout, sessions and CSRF tokens invalid, none. */
  effects: string[];
}

export interface RotationPlan {
  format: 1;
  id: string;
  created: string;
  title: string;
  keys: PlannedKey[];
  downtime: string;
  risk: 'low' | 'medium' | 'high';
  /** Things to do or know before step 1 (checkbox list). */
  before: string[];
  steps: PlanStep[];
  /** Step numbers marked as points of no return (one per key: retiring its old version). */
  pointsOfNoReturn: number[];
  warnings: string[];
  /** Checkbox list for the end, in the guides' "Success Criteria" style. */
  success: string[];
}
