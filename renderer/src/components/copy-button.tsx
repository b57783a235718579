// A copy button for a secret: the host decides the transport, the clipboard is cleared after 30 s, and the button says so.
import { useEffect, useState } from 'react';
import type { CopyResult } from '../../../shared/ipc/features/generate.js';
import { completeCopy } from '../lib/clipboard.js';
import { useAsyncAction } from '../lib/use-async.js';
import { ErrorNotice } from './error-notice.js';

export function CopyButton({ copy, label = 'Copy', small = false }: { copy: () => Promise<CopyResult>; label?: string; small?: boolean }) {
  const [clearsAt, setClearsAt] = useState<number | undefined>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const action = useAsyncAction(async () => {
    const result = await copy();
    await completeCopy(result);
    const t = Date.now();
    setNow(t);
    setClearsAt(t + result.clearAfterMs);
  });

  useEffect(() => {
    if (clearsAt === undefined) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= clearsAt) setClearsAt(undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [clearsAt]);

  const seconds = clearsAt === undefined ? 0 : Math.max(0, Math.ceil((clearsAt - now) / 1000));
  return (
    <span className="copy">
      <button type="button" className={small ? 'button-small' : undefined} onClick={() => void action.run()} disabled={action.pending}>
        {action.pending ? 'Copying…' : label}
      </button>
      <span className="hint" role="status">
        {clearsAt !== undefined ? `Copied; the clipboard clears in ${seconds} s.` : ''}
      </span>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </span>
  );
}
