// Handlers of the push feature: targets, plans, promotion, drift status and offline mode (a push itself is a job).
// A target's CA file is a path from the page, confined like every other.
import type { PushContract } from '../../../shared/ipc/features/push.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function pushHandlers({ services, host }: HandlerDeps): FeatureHandlers<PushContract> {
  return {
    listTargets: () => services.push.listTargets(),
    addTarget: async (req, signal) => {
      const target =
        req.target.kind === 'azure' && req.target.caFile !== undefined
          ? { ...req.target, caFile: await host.paths.confine(req.target.caFile) }
          : req.target;
      return services.push.addTarget(target, { replace: req.replace === true, ...(signal ? { signal } : {}) });
    },
    removeTarget: async (req, signal) => {
      await services.push.removeTarget(req.name, signal);
      return { removed: req.name };
    },
    testTarget: (req, signal) => services.push.testTarget(req.name, signal),
    planPush: (req, signal) => services.push.plan(req, signal),
    promotePush: (req, signal) => services.push.promote(req, signal),
    pushStatus: (req, signal) => services.push.status(req.target !== undefined ? { target: req.target } : {}, signal),
    offlineMode: () => services.push.offlineMode(),
    setOfflineMode: (req) => services.push.setOfflineMode(req.offline),
  };
}
