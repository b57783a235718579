// Shows a failed action's sentence and code where the user acted, announced to screen readers.
import type { IpcError } from '../../../shared/ipc/result.js';

export function ErrorNotice({ error, onDismiss }: { error: IpcError | undefined; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        {error.message} <code className="code-tag">{error.code}</code>
      </p>
      {onDismiss ? (
        <button type="button" className="button-link" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}
