// Handlers of the rotation feature. Every file a plan reads or writes passes the host's path guard, when the plan is
// made and again when a step runs (a plan made with the CLI may name files the page may not touch).
import { dirname, join } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { PlanRotationRequest, RotationContract } from '../../../shared/ipc/features/rotation.js';
import type { PlanRequest } from '../services/rotation-service.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';
import type { HostAdapters } from './host-adapters.js';

/** The page's request with its paths confined and made absolute; dumps go beside the first .env file by default. */
export async function confinePlanRequest(host: HostAdapters, req: PlanRotationRequest): Promise<PlanRequest> {
  const confine = (p: string) => host.paths.confine(p);
  const envFiles = await Promise.all((req.envFiles ?? []).map(confine));
  const database = req.database
    ? {
        urlVar: req.database.urlVar,
        ...(req.database.envFile ? { envFile: await confine(req.database.envFile) } : {}),
        tables: req.database.tables,
      }
    : undefined;
  let backupDir: string | undefined;
  if (req.backupDir) backupDir = await confine(req.backupDir);
  else if (database) {
    const beside = envFiles[0] ?? database.envFile;
    if (!beside) throw new KeyturnError('invalid-input', 'Say where the database dump goes (a backup folder), or give the .env file.');
    backupDir = await confine(join(dirname(beside), 'backups'));
  }
  const app = { ...(req.restart ? { restart: req.restart } : {}), ...(req.health ? { health: req.health } : {}) };
  return {
    keys: req.keys,
    envFiles,
    ...(req.profile ? { profile: req.profile } : {}),
    ...(req.targets ? { targets: req.targets } : {}),
    ...(database ? { databases: [database] } : {}),
    ...(Object.keys(app).length > 0 ? { app } : {}),
    ...(backupDir ? { backupDir } : {}),
    ...(req.overlap !== undefined ? { overlap: req.overlap } : {}),
    ...(req.id ? { id: req.id } : {}),
  };
}

export function rotationHandlers({ services, host }: HandlerDeps): FeatureHandlers<RotationContract> {
  const confine = (p: string) => host.paths.confine(p);
  return {
    rotationDue: () => services.rotation.due(),
    setRotationPolicy: async (req) => {
      if (req.reset) return services.rotation.setPolicy(req.name, null);
      const current = await services.rotation.policy(req.name);
      return services.rotation.setPolicy(req.name, { maxAge: req.maxAge ?? current.maxAge, ...(req.warn ? { warn: req.warn } : {}) });
    },
    planRotation: async (req) => services.rotation.plan(await confinePlanRequest(host, req), { confine }),
    listRotationPlans: () => services.rotation.list(),
    rotationPlanStatus: (req) => services.rotation.status(req.id),
    runRotationStep: (req, signal) => services.rotation.runStep(req.id, req.step, { confirm: req.confirm, signal, confine }),
    markRotationStepDone: (req) => services.rotation.markDone(req.id, req.step, req.note),
    exportRotationPlan: async (req) => ({
      fileName: `${req.id}.${req.format}`,
      mediaType: req.format === 'md' ? 'text/markdown' : 'application/json',
      text: await services.rotation.render(req.id, req.format),
    }),
  };
}
