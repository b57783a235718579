// The rotation feature's channels: due dates and policies, plans made from the page, each step run after a
// confirmation in the page or ticked off with a note, long steps followed as jobs, and the runbook exported. No value
// crosses: plans name keys as NAME@vN, and every file a plan touches is confined by the host.
import type { DueReport, KeyPolicy } from '../../rotation/policy.js';
import type { PlanStatus, PlanSummary, StepView } from '../../rotation/progress.js';
import type { EmptyRequest } from './empty-request.js';

export interface PlanRotationRequest {
  keys: string[];
  /** The application's .env files (lifetimes, variable names, the files the plan backs up and writes). */
  envFiles?: string[];
  profile?: string;
  /** Push target names. */
  targets?: string[];
  /** The database whose rows are encrypted with the Fernet key: the variable holding its URL, and the tables. */
  database?: {
    urlVar: string;
    /** The .env file that sets it (default: the first env file that does). */
    envFile?: string;
    tables: { table: string; columns: string[]; pk?: string }[];
  };
  /** `7d`, `36h`, or `0` for none; default from the token lifetimes in the .env files. */
  overlap?: string;
  restart?: string;
  health?: string;
  /** Where database dumps go (default: a `backups` folder beside the first .env file). */
  backupDir?: string;
  id?: string;
}

export interface RotationRunbook {
  /** A file name to save it under (`pii-enc-key-20250301-0900.md`). */
  fileName: string;
  mediaType: 'text/markdown' | 'application/json';
  text: string;
}

export type RotationContract = {
  rotationDue: (req: EmptyRequest) => Promise<DueReport>;
  /** Sets a key's policy (`maxAge`, optional `warn`), or with `reset` goes back to its kind's default. */
  setRotationPolicy: (req: { name: string; maxAge?: string; warn?: string; reset?: boolean }) => Promise<KeyPolicy>;
  planRotation: (req: PlanRotationRequest) => Promise<PlanStatus>;
  listRotationPlans: (req: EmptyRequest) => Promise<PlanSummary[]>;
  rotationPlanStatus: (req: { id: string }) => Promise<PlanStatus>;
  /** `confirm` is the page's confirmation dialog; a long step returns at once with its job, followed through the jobs feature. */
  runRotationStep: (req: { id: string; step: number; confirm: true }) => Promise<StepView>;
  markRotationStepDone: (req: { id: string; step: number; note: string }) => Promise<StepView>;
  exportRotationPlan: (req: { id: string; format: 'md' | 'json' }) => Promise<RotationRunbook>;
};

export const ROTATION_CHANNELS = [
  'rotationDue',
  'setRotationPolicy',
  'planRotation',
  'listRotationPlans',
  'rotationPlanStatus',
  'runRotationStep',
  'markRotationStepDone',
  'exportRotationPlan',
] as const satisfies readonly (keyof RotationContract)[];
