// Handlers of the .env checker: profiles, check and fix, on paths confined to what the host allows (large trees are
// checked as a job through the jobs feature, with the same confinement).
import type { EnvCheckInput, EnvFixInput } from '../../../shared/envcheck/report.js';
import type { EnvCheckContract } from '../../../shared/ipc/features/envcheck.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';
import type { HostAdapters } from './host-adapters.js';

/** The request with every path it names confined by the host (absolute and real afterwards). */
export async function confineEnvCheck(host: HostAdapters, input: EnvCheckInput): Promise<EnvCheckInput> {
  const confined: EnvCheckInput = { ...input, paths: await Promise.all(input.paths.map((p) => host.paths.confine(p))) };
  if (input.schemaFile !== undefined) confined.schemaFile = await host.paths.confine(input.schemaFile);
  if (input.example !== undefined) confined.example = await host.paths.confine(input.example);
  return confined;
}

async function confineEnvFix(host: HostAdapters, input: EnvFixInput): Promise<EnvFixInput> {
  const confined: EnvFixInput = { ...input, file: await host.paths.confine(input.file) };
  if (input.schemaFile !== undefined) confined.schemaFile = await host.paths.confine(input.schemaFile);
  return confined;
}

export function envcheckHandlers({ services, host }: HandlerDeps): FeatureHandlers<EnvCheckContract> {
  return {
    envProfiles: async () => services.envcheck.profiles(),
    envCheck: async (req, signal) => services.envcheck.check(await confineEnvCheck(host, req), signal ? { signal } : {}),
    envFix: async (req) => services.envcheck.fix(await confineEnvFix(host, req)),
  };
}
