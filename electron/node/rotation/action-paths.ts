// A plan keeps paths as the user typed them (the runbook reads better so); a step runs against the folder the plan was
// made in, whatever folder or process runs it later (the CLI elsewhere, the web host, the desktop app).
import { isAbsolute, resolve } from 'node:path';
import type { StepAction } from '../../../shared/rotation/types.js';

const abs = (cwd: string, path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));
const absOpt = (cwd: string, path: string | undefined): { envFile?: string } => (path ? { envFile: abs(cwd, path) } : {});

export function absoluteAction(action: StepAction, cwd: string): StepAction {
  switch (action.op) {
    case 'backup-db':
      return { ...action, ...absOpt(cwd, action.envFile), file: abs(cwd, action.file) };
    case 'backup-file':
      return { ...action, path: abs(cwd, action.path), copy: abs(cwd, action.copy) };
    case 'env-set':
      return { ...action, file: abs(cwd, action.file) };
    case 'jwks-export':
      return { ...action, file: abs(cwd, action.file) };
    case 'reencrypt':
    case 'reencrypt-verify':
      return { ...action, ...absOpt(cwd, action.envFile) };
    case 'escrow-update':
      return action.bundle ? { ...action, bundle: abs(cwd, action.bundle) } : action;
    default:
      return action;
  }
}

/** Every file or folder a step reads or writes (absolute after absoluteAction), for hosts that confine paths. */
export function actionPaths(action: StepAction): string[] {
  switch (action.op) {
    case 'backup-db':
      return [...(action.envFile ? [action.envFile] : []), action.file];
    case 'backup-file':
      return [action.path, action.copy];
    case 'env-set':
    case 'jwks-export':
      return [action.file];
    case 'reencrypt':
    case 'reencrypt-verify':
      return action.envFile ? [action.envFile] : [];
    case 'escrow-update':
      return action.bundle ? [action.bundle] : [];
    default:
      return [];
  }
}
