// The keychain indicator in the app shell: ok / locked / unavailable, with the sentence that says what to do.
import { useCallback, useEffect, useState } from 'react';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';
import { toIpcError } from '../../../shared/ipc/result.js';
import { api } from '../api/client.js';

const LABEL: Record<KeychainStatus['state'], string> = {
  ok: 'Keychain ready',
  locked: 'Keychain locked',
  unavailable: 'Keychain unavailable',
};
const POLL_MS = 30_000;

export function KeychainStatusIndicator({ refreshKey }: { refreshKey: number }) {
  const [status, setStatus] = useState<KeychainStatus | undefined>(undefined);
  const [checking, setChecking] = useState(false);

  const check = useCallback(async () => {
    setChecking(true);
    try {
      setStatus(await api.keychainStatus({}));
    } catch (error) {
      const e = toIpcError(error);
      setStatus({ state: 'unavailable', code: e.code, message: e.message, backend: 'unknown' });
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    void check();
    const timer = setInterval(() => void check(), POLL_MS);
    return () => clearInterval(timer);
  }, [check, refreshKey]);

  const state = status?.state ?? 'checking';
  return (
    <section className={`keychain keychain-${state}`} aria-label="Keychain status" data-state={state}>
      <span className="keychain-dot" aria-hidden="true" />
      <div className="keychain-text" role="status">
        <strong>{status ? LABEL[status.state] : 'Checking keychain…'}</strong>
        {status && status.state !== 'ok' ? <span className="keychain-help">{status.message}</span> : null}
        {status ? <span className="keychain-backend">{status.backend}</span> : null}
      </div>
      <button type="button" className="button-small" onClick={() => void check()} disabled={checking}>
        {checking ? 'Checking…' : 'Check again'}
      </button>
    </section>
  );
}
