// Handlers of the re-encrypt feature: the .env file the connection comes from is confined like every path from the page;
// the run is a job (jobs-handlers.ts confines its parameters with confineReencrypt).
import type { RowReport } from '../../../shared/domain/reencrypt.js';
import type { ReencryptConnection, ReencryptContract } from '../../../shared/ipc/features/reencrypt.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';
import type { HostAdapters } from './host-adapters.js';

export async function confineReencrypt<T extends ReencryptConnection>(host: HostAdapters, request: T): Promise<T> {
  return { ...request, envFile: await host.paths.confine(request.envFile) };
}

export function reencryptHandlers({ services, host }: HandlerDeps): FeatureHandlers<ReencryptContract> {
  return {
    reencryptScan: async (req, signal) => services.reencrypt.scan(await confineReencrypt(host, req), signal ? { signal } : {}),
    reencryptVerify: async (req, signal) => services.reencrypt.verify(await confineReencrypt(host, req), signal ? { signal } : {}),
    reencryptRows: async (req) => {
      const rows: RowReport[] = [];
      for await (const record of services.jobs.output(req.jobId)) if (rows.length < 1000) rows.push(record as RowReport);
      return rows;
    },
  };
}
