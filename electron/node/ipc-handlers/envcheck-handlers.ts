// Handlers of the .env checker: profiles, check and fix (large trees are checked as a job through the jobs feature).
import type { EnvCheckContract } from '../../../shared/ipc/features/envcheck.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function envcheckHandlers({ services }: HandlerDeps): FeatureHandlers<EnvCheckContract> {
  return {
    envProfiles: async () => services.envcheck.profiles(),
    envCheck: (req, signal) => services.envcheck.check(req, signal ? { signal } : {}),
    envFix: (req) => services.envcheck.fix(req),
  };
}
