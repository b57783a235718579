// One cloud call under its own deadline joined with the caller's signal, ending as the service's timeout or cancel
// sentence: every read and write of a push, a promotion or a status check goes through it.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { Target } from '../../../shared/push/targets.js';
import { cloudDeadlineErrors } from '../cloud/cloud-errors.js';
import { deadline } from '../lib/deadline.js';

export const SERVICE_NAMES = { aws: 'AWS Secrets Manager', azure: 'Azure Key Vault' } as const;

export type CloudCall = <T>(
  target: Target,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
  ms?: number,
) => Promise<T>;

export function createCloudCall(defaultMs: number): CloudCall {
  return async (target, signal, work, ms = defaultMs) => {
    const bound = deadline(ms, signal, cloudDeadlineErrors(SERVICE_NAMES[target.kind]));
    try {
      return await work(bound.signal);
    } catch (error) {
      if (bound.signal.aborted && bound.signal.reason instanceof KeyturnError) throw bound.signal.reason;
      throw error;
    } finally {
      bound.dispose();
    }
  };
}
