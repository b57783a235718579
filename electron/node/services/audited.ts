// One way for every service to do something that must leave an audit line: the line is written whatever happens,
// with the outcome (ok, refused, failed) and the error code, and never a value.
import type { AuditEvent } from '../../../shared/domain/audit.js';
import { KeyturnError, type ErrorCode } from '../../../shared/domain/errors.js';
import { deadline, type DeadlineErrors } from '../lib/deadline.js';
import type { HomeStore } from '../store/home-store.js';

/** Codes that mean "Keyturn said no" (the request was wrong or not allowed) rather than "it tried and failed". */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'already-exists',
  'refused',
  'invalid-input',
  'invalid-name',
  'invalid-key',
  'not-found',
  'forbidden',
]);

export interface AuditedOptions {
  signal?: AbortSignal | undefined;
  /** Hold the KEYTURN_HOME lock for the whole work (it changes the inventory); otherwise only while the line is appended. */
  lock?: boolean;
  /** Bound the work: after `ms` its signal aborts with `errors.timeout`, and a caller's abort with `errors.cancelled`. */
  deadline?: { ms: number; errors?: DeadlineErrors };
}

export interface AuditedWork {
  /** Aborts on the deadline or when the caller gives up. */
  signal: AbortSignal;
  /** Adds fields to the line once they are known (the version a store created, the target a push reached). */
  note(fields: Partial<AuditEvent>): void;
}

export type Audited = <T>(event: AuditEvent, work: (ctx: AuditedWork) => Promise<T>, options?: AuditedOptions) => Promise<T>;

export function createAudited(home: HomeStore): Audited {
  return async function audited<T>(event: AuditEvent, work: (ctx: AuditedWork) => Promise<T>, options: AuditedOptions = {}): Promise<T> {
    const lock = options.lock !== false;
    const run = async (): Promise<T> => {
      await home.audit.assertAppendable();
      const bound = options.deadline ? deadline(options.deadline.ms, options.signal, options.deadline.errors) : undefined;
      const signal = bound?.signal ?? options.signal ?? new AbortController().signal;
      const line: AuditEvent = { ...event };
      const append = (entry: AuditEvent) => (lock ? home.audit.appendUnlocked(entry) : home.locked(() => home.audit.appendUnlocked(entry)));
      try {
        const result = await work({ signal, note: (fields) => Object.assign(line, fields) });
        await append({ ...line, outcome: 'ok' });
        return result;
      } catch (error) {
        const code: ErrorCode = error instanceof KeyturnError ? error.code : 'internal';
        if (code !== 'audit-broken') await append({ ...line, outcome: REFUSALS.has(code) ? 'refused' : 'failed', code });
        throw error;
      } finally {
        bound?.dispose();
      }
    };
    return lock ? home.locked(run, options.signal) : run();
  };
}
