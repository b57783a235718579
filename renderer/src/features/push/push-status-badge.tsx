// A key's push status on the Keys screen: not pushed, in sync, or drift (which target and secret, and how), from the
// last `pushStatus` check; "not checked" while offline or when a target could not be read.
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import type { PushStatusReport } from '../../../../shared/push/push-types.js';
import type { IpcError } from '../../../../shared/ipc/result.js';

export interface PushStatusView {
  report?: PushStatusReport;
  error?: IpcError;
  checking: boolean;
}

function pushedAnywhere(record: KeyRecord): boolean {
  return record.versions.some((v) => (v.pushes ?? []).length > 0);
}

export function PushStatusBadge({ record, status }: { record: KeyRecord; status: PushStatusView }) {
  const testId = `push-status-${record.name}`;
  if (!pushedAnywhere(record)) {
    return (
      <span className="badge badge-retired" data-testid={testId} data-state="not-pushed">
        not pushed
      </span>
    );
  }
  const items = status.report?.items.filter((i) => i.key === record.name) ?? [];
  if (status.checking && items.length === 0)
    return (
      <span className="hint" data-testid={testId}>
        checking push status…
      </span>
    );
  if (items.length === 0) {
    return (
      <span className="badge badge-warning" data-testid={testId} data-state="unknown" title={status.error?.message}>
        push status not checked{status.error ? ` (${status.error.code})` : ''}
      </span>
    );
  }
  const drifted = items.filter((i) => i.state !== 'in-sync');
  if (drifted.length === 0) {
    return (
      <span className="badge badge-current" data-testid={testId} data-state="in-sync">
        in sync ({items.map((i) => `${i.target}:${i.secret}`).join(', ')})
      </span>
    );
  }
  return (
    <span className="badge badge-error" data-testid={testId} data-state="drift">
      drift: {drifted.map((i) => `${i.state ?? i.error?.code ?? 'unknown'} at ${i.target}:${i.secret}`).join('; ')}
    </span>
  );
}
