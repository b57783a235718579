// The .env checker's channels: profiles, check (small checks answer at once; large trees run as a job) and fix.
import type { EnvCheckInput, EnvFixInput, EnvFixResult, EnvReport } from '../../envcheck/report.js';
import type { EnvProfile } from '../../envcheck/types.js';
import type { EmptyRequest } from './empty-request.js';

export type EnvCheckContract = {
  envProfiles: (req: EmptyRequest) => Promise<EnvProfile[]>;
  envCheck: (req: EnvCheckInput) => Promise<EnvReport>;
  envFix: (req: EnvFixInput) => Promise<EnvFixResult>;
};

export const ENVCHECK_CHANNELS = ['envProfiles', 'envCheck', 'envFix'] as const satisfies readonly (keyof EnvCheckContract)[];
