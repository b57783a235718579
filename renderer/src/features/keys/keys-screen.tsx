// The Keys screen: the inventory (metadata only; values are fetched one at a time on reveal or copy), with the
// keychain's state beside it, so an empty list never hides a keychain that cannot be reached.
import { useCallback, useEffect, useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import type { KeychainStatus } from '../../../../shared/domain/keychain-status.js';
import { toIpcError } from '../../../../shared/ipc/result.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import type { PushStatusView } from '../push/push-status-badge.js';
import { KeyCard } from './key-card.js';

const KEYCHAIN_WORDS: Record<Exclude<KeychainStatus['state'], 'ok'>, string> = {
  locked: 'The keychain is locked',
  unavailable: 'The keychain is unavailable',
};

export function KeysScreen({ onChanged }: { onChanged: () => void }) {
  const [keys, setKeys] = useState<KeyRecord[] | undefined>(undefined);
  const [keychain, setKeychain] = useState<KeychainStatus | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [pushStatus, setPushStatus] = useState<PushStatusView>({ checking: false });
  const load = useAsyncAction(async () => {
    const [list, status] = await Promise.all([
      api.listKeys({}),
      api.keychainStatus({}).catch((error: unknown): KeychainStatus => {
        const e = toIpcError(error);
        return { state: 'unavailable', code: e.code, message: e.message, backend: 'unknown' };
      }),
    ]);
    setKeys(list);
    setKeychain(status);
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

  const wanted = filter.trim().toLowerCase();
  const shown = (keys ?? []).filter((k) => k.name.toLowerCase().includes(wanted));
  const blocked = keychain && keychain.state !== 'ok' ? keychain : undefined;
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Keys</h1>
        <p className="lede">What is in the keychain under Keyturn's name. Values stay there until you reveal or copy one.</p>
      </header>
      <div className="toolbar">
        <label className="inline-field">
          <span>Filter</span>
          <input
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              // The banner spoke of the last action; once the list changes under it, it would read as being about this.
              setMessage(undefined);
            }}
            placeholder="name"
          />
        </label>
        <button type="button" onClick={() => void run()} disabled={load.pending}>
          {load.pending ? 'Loading…' : 'Reload'}
        </button>
      </div>
      <p className="notice notice-ok" role="status">
        {message ?? ''}
      </p>
      <ErrorNotice error={load.error} onDismiss={load.clearError} />
      {blocked ? (
        <div className="notice notice-warn" data-testid="keys-keychain">
          <p>
            {KEYCHAIN_WORDS[blocked.state as 'locked' | 'unavailable']}: {blocked.message}
          </p>
          <p>
            {keys && keys.length > 0
              ? 'The list below comes from the inventory; revealing, copying, rotating or storing keys waits for the keychain.'
              : 'Keys cannot be stored or listed with their values until it is available; the inventory lists none so far.'}
          </p>
        </div>
      ) : null}
      {keys && keys.length === 0 && !blocked && keychain ? (
        <p className="empty">No keys yet. Generate one and store it in the keychain.</p>
      ) : null}
      {keys && keys.length > 0 && shown.length === 0 ? (
        <p className="empty" data-testid="keys-no-match">
          No key name contains “{filter.trim()}”; {keys.length} {keys.length === 1 ? 'key is' : 'keys are'} stored.{' '}
          <button type="button" className="button-link" onClick={() => setFilter('')}>
            Clear the filter
          </button>
        </p>
      ) : null}
      {shown.map((record) => (
        <KeyCard key={record.name} record={record} onChanged={changed} pushStatus={pushStatus} />
      ))}
    </div>
  );
}
