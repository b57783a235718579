// The audit feature's channels: read the log and verify its hash chain.
import type { AuditEntry, AuditVerification } from '../../domain/audit.js';
import type { EmptyRequest } from './empty-request.js';

export type AuditContract = {
  auditList: (req: { limit?: number }) => Promise<AuditEntry[]>;
  auditVerify: (req: EmptyRequest) => Promise<AuditVerification>;
};

export const AUDIT_CHANNELS = ['auditList', 'auditVerify'] as const satisfies readonly (keyof AuditContract)[];
