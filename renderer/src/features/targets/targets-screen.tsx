// The Targets screen: where keys are pushed (AWS Secrets Manager, Azure Key Vault), a read-only test of each, removal,
// and the offline switch that keeps every cloud call from leaving the machine.
import { useCallback, useEffect, useState } from 'react';
import type { OfflineMode, TargetTestResult } from '../../../../shared/push/push-types.js';
import { describeTarget, type Target } from '../../../../shared/push/targets.js';
import type { IpcError } from '../../../../shared/ipc/result.js';
import { toIpcError } from '../../../../shared/ipc/result.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { TargetForm } from './target-form.js';

type TestState = { pending: true } | { result: TargetTestResult } | { error: IpcError };

function TargetRow({ target, onRemoved }: { target: Target; onRemoved: () => void }) {
  const [test, setTest] = useState<TestState | undefined>(undefined);
  const [confirm, setConfirm] = useState(false);
  const remove = useAsyncAction(async () => {
    await api.removeTarget({ name: target.name });
    onRemoved();
  });
  const runTest = async () => {
    setTest({ pending: true });
    try {
      setTest({ result: await api.testTarget({ name: target.name }) });
    } catch (caught) {
      setTest({ error: toIpcError(caught) });
    }
  };
  return (
    <tr data-testid={`target-${target.name}`}>
      <th scope="row">{target.name}</th>
      <td>{describeTarget(target)}</td>
      <td aria-live="polite" data-testid={`target-test-${target.name}`}>
        {test && 'pending' in test ? 'Testing…' : null}
        {test && 'result' in test ? (
          <span className="badge badge-current">
            reachable, authenticated as {test.result.identity} ({(test.result.ms / 1000).toFixed(1)} s)
          </span>
        ) : null}
        {test && 'result' in test && test.result.note ? <span className="hint"> {test.result.note}</span> : null}
        {test && 'error' in test ? <ErrorNotice error={test.error} /> : null}
        <ErrorNotice error={remove.error} />
      </td>
      <td className="cell-actions">
        <button type="button" className="button-small" onClick={() => void runTest()} disabled={test !== undefined && 'pending' in test}>
          Test
        </button>
        {confirm ? (
          <>
            <button type="button" className="button-small button-danger" onClick={() => void remove.run()}>
              Remove {target.name}
            </button>
            <button type="button" className="button-small" onClick={() => setConfirm(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="button-small" onClick={() => setConfirm(true)}>
            Remove…
          </button>
        )}
      </td>
    </tr>
  );
}

export function TargetsScreen() {
  const [targets, setTargets] = useState<Target[] | undefined>(undefined);
  const [offline, setOffline] = useState<OfflineMode | undefined>(undefined);
  const [message, setMessage] = useState('');
  const load = useAsyncAction(async () => {
    setTargets(await api.listTargets({}));
    setOffline(await api.offlineMode({}));
  });
  const { run } = load;
  useEffect(() => {
    void run();
  }, [run]);
  const toggle = useAsyncAction(async (on: boolean) => {
    // The box follows the click at once; the host's answer (with its reason) replaces it, or the load restores it.
    setOffline({ offline: on });
    try {
      setOffline(await api.setOfflineMode({ offline: on }));
    } catch (error) {
      setOffline(await api.offlineMode({}));
      throw error;
    }
  });
  const added = useCallback(
    (t: Target) => {
      setMessage(`Added ${t.name}. Test it to check the endpoint and the credentials.`);
      void run();
    },
    [run],
  );
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Targets</h1>
        <p className="lede">Where keys are pushed. Keyturn keeps names and endpoints here, never a credential.</p>
      </header>
      <section className="card" aria-label="Offline mode">
        <label className="inline-check">
          <input
            type="checkbox"
            checked={offline?.offline ?? false}
            disabled={offline === undefined || toggle.pending || offline.reason === 'KEYTURN_OFFLINE is set'}
            onChange={(e) => void toggle.run(e.target.checked)}
          />
          <span>Offline mode: never contact a cloud service (pushes, tests and status checks are refused before any connection)</span>
        </label>
        {offline?.offline ? <p className="hint">Offline: {offline.reason}.</p> : null}
        <ErrorNotice error={toggle.error} onDismiss={toggle.clearError} />
      </section>
      <p className="notice notice-ok" role="status">
        {message}
      </p>
      <ErrorNotice error={load.error} onDismiss={load.clearError} />
      {targets && targets.length === 0 ? <p className="empty">No targets yet. Add one below.</p> : null}
      {targets && targets.length > 0 ? (
        <section className="card" aria-label="Push targets">
          <table className="table">
            <caption className="visually-hidden">Push targets</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Where</th>
                <th scope="col">Test</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((t) => (
                <TargetRow
                  key={t.name}
                  target={t}
                  onRemoved={() => {
                    setMessage(`Removed ${t.name}; secrets already pushed stay where they are.`);
                    void run();
                  }}
                />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <TargetForm onAdded={added} />
    </div>
  );
}
