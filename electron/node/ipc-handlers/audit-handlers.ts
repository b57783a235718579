// Handlers of the audit feature.
import type { AuditContract } from '../../../shared/ipc/features/audit.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function auditHandlers({ services }: HandlerDeps): FeatureHandlers<AuditContract> {
  return {
    auditList: (req) => services.audit.list(req.limit),
    auditVerify: () => services.audit.verify(),
  };
}
