// The push feature's channels: targets (add, test, remove), the plan, promotion, drift status and offline mode. A push
// itself runs as a job (startJob kind "push") so the page can watch it; nothing here carries a value.
import type { KeyRef } from '../../domain/key-names.js';
import type { PushPlan } from '../../push/push-plan.js';
import type { OfflineMode, PromoteResult, PushRequest, PushStatusReport, TargetTestResult } from '../../push/push-types.js';
import type { Target } from '../../push/targets.js';
import type { EmptyRequest } from './empty-request.js';

export type PushContract = {
  listTargets: (req: EmptyRequest) => Promise<Target[]>;
  addTarget: (req: { target: Target; replace?: boolean }) => Promise<Target>;
  removeTarget: (req: { name: string }) => Promise<{ removed: string }>;
  testTarget: (req: { name: string }) => Promise<TargetTestResult>;
  planPush: (req: PushRequest) => Promise<PushPlan>;
  promotePush: (req: { target: string; keys: KeyRef[] }) => Promise<PromoteResult>;
  pushStatus: (req: { target?: string }) => Promise<PushStatusReport>;
  offlineMode: (req: EmptyRequest) => Promise<OfflineMode>;
  setOfflineMode: (req: { offline: boolean }) => Promise<OfflineMode>;
};

export const PUSH_CHANNELS = [
  'listTargets',
  'addTarget',
  'removeTarget',
  'testTarget',
  'planPush',
  'promotePush',
  'pushStatus',
  'offlineMode',
  'setOfflineMode',
] as const satisfies readonly (keyof PushContract)[];
