// Deleting a key asks the user to type its name, so a stray click or keypress cannot remove every version.
import { useEffect, useRef, useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';

export function DeleteKeyForm({ record, onDeleted, onCancel }: { record: KeyRecord; onDeleted: () => void; onCancel: () => void }) {
  const [typed, setTyped] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const remove = useAsyncAction(async () => {
    await api.deleteKey({ name: record.name, confirmName: typed });
    onDeleted();
  });
  const matches = typed === record.name;
  const count = record.versions.length;
  return (
    <form
      className="confirm danger-zone"
      aria-label={`Delete ${record.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (matches) void remove.run();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p>
        This removes {count === 1 ? 'the only version' : `all ${count} versions`} of <strong>{record.name}</strong> from the keychain.
        Anything still using it will stop working. Type the name to confirm.
      </p>
      <label>
        <span>Key name</span>
        <input ref={input} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      <div className="action-row">
        <button type="submit" className="button-danger" disabled={!matches || remove.pending}>
          {remove.pending ? 'Deleting…' : 'Delete permanently'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={remove.error} onDismiss={remove.clearError} />
    </form>
  );
}
