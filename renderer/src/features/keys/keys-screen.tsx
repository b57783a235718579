// The Keys screen: the inventory (metadata only; values are fetched one at a time on reveal or copy).
import { useCallback, useEffect, useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import type { PushStatusView } from '../push/push-status-badge.js';
import { toIpcError } from '../../../../shared/ipc/result.js';
import { KeyCard } from './key-card.js';

export function KeysScreen({ onChanged }: { onChanged: () => void }) {
  const [keys, setKeys] = useState<KeyRecord[] | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [pushStatus, setPushStatus] = useState<PushStatusView>({ checking: false });
  const load = useAsyncAction(async () => {
    const list = await api.listKeys({});
    setKeys(list);
    // Reading the targets takes a moment: the keys show first, their push status when it arrives. Keys never pushed
    // need no network at all.
    if (!list.some((k) => k.versions.some((v) => (v.pushes ?? []).length > 0))) return;
    setPushStatus((previous) => ({ ...previous, checking: true }));
    api.pushStatus({}).then(
      (report) => setPushStatus({ report, checking: false }),
      (error: unknown) => setPushStatus({ error: toIpcError(error), checking: false }),
    );
  });
  const { run } = load;

  useEffect(() => {
    void run();
  }, [run]);

  const changed = useCallback(
    (text?: string) => {
      setMessage(text);
      onChanged();
      void run();
    },
    [onChanged, run],
  );

  const shown = (keys ?? []).filter((k) => k.name.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Keys</h1>
        <p className="lede">What is in the keychain under Keyturn's name. Values stay there until you reveal or copy one.</p>
      </header>
      <div className="toolbar">
        <label className="inline-field">
          <span>Filter</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name" />
        </label>
        <button type="button" onClick={() => void run()} disabled={load.pending}>
          {load.pending ? 'Loading…' : 'Reload'}
        </button>
      </div>
      <p className="notice notice-ok" role="status">
        {message ?? ''}
      </p>
      <ErrorNotice error={load.error} onDismiss={load.clearError} />
      {keys && keys.length === 0 ? <p className="empty">No keys yet. Generate one and store it in the keychain.</p> : null}
      {shown.map((record) => (
        <KeyCard key={record.name} record={record} onChanged={changed} pushStatus={pushStatus} />
      ))}
    </div>
  );
}
