// The Keys screen: the inventory (metadata only; values are fetched one at a time on reveal or copy).
import { useCallback, useEffect, useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { KeyCard } from './key-card.js';

export function KeysScreen({ onChanged }: { onChanged: () => void }) {
  const [keys, setKeys] = useState<KeyRecord[] | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const load = useAsyncAction(async () => setKeys(await api.listKeys({})));
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
        <KeyCard key={record.name} record={record} onChanged={changed} />
      ))}
    </div>
  );
}
