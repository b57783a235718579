// The audit log as a service: list recent lines, verify the hash chain, record an action (under the home lock).
import type { AuditEntry, AuditEvent, AuditVerification } from '../../../shared/domain/audit.js';
import type { HomeStore } from '../store/home-store.js';

export interface AuditService {
  /** The last `limit` lines (default 100), oldest first. */
  list(limit?: number): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerification>;
  record(event: AuditEvent, signal?: AbortSignal): Promise<AuditEntry>;
  readonly path: string;
}

export function createAuditService(store: HomeStore): AuditService {
  return {
    path: store.audit.path,
    async list(limit = 100) {
      const entries = await store.audit.entries();
      return limit > 0 ? entries.slice(-limit) : entries;
    },
    verify: () => store.audit.verify(),
    record: (event, signal) => store.locked(() => store.audit.appendUnlocked(event), signal),
  };
}
