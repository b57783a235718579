// A key's rotation policy: how often it must be rotated and how long before that it shows as due soon; or back to the
// default for its kind.
import { useState } from 'react';
import type { DueEntry } from '../../../../shared/rotation/policy.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';

export function PolicyForm({ entry, onSaved }: { entry: DueEntry; onSaved: () => void }) {
  const [maxAge, setMaxAge] = useState(entry.policy.maxAge);
  const [warn, setWarn] = useState(entry.policy.warn);
  const save = useAsyncAction(async (reset: boolean) => {
    await api.setRotationPolicy(reset ? { name: entry.key, reset: true } : { name: entry.key, maxAge: maxAge.trim(), warn: warn.trim() });
    onSaved();
  });
  return (
    <form
      className="policy-form"
      aria-label={`Rotation policy of ${entry.key}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(false);
      }}
    >
      <label className="inline-field">
        <span>Rotate every</span>
        <input value={maxAge} onChange={(e) => setMaxAge(e.target.value)} size={6} spellCheck={false} autoComplete="off" />
      </label>
      <label className="inline-field">
        <span>Warn before</span>
        <input value={warn} onChange={(e) => setWarn(e.target.value)} size={6} spellCheck={false} autoComplete="off" />
      </label>
      <button type="submit" disabled={save.pending}>
        Save policy
      </button>
      {entry.policy.source === 'key' ? (
        <button type="button" className="button-link" onClick={() => void save.run(true)}>
          Back to the default
        </button>
      ) : null}
      <ErrorNotice error={save.error} onDismiss={save.clearError} />
    </form>
  );
}
