// A revealed secret: shown only while wanted, hidden again after a delay, when the window loses focus, or on unmount.
import { useEffect } from 'react';
import { REVEAL_HIDE_MS } from '../../../shared/ipc/features/keys.js';

export function SecretValue({
  value,
  label,
  onHide,
  hideAfterMs = REVEAL_HIDE_MS,
}: {
  value: string;
  label: string;
  onHide: () => void;
  hideAfterMs?: number;
}) {
  useEffect(() => {
    const timer = setTimeout(onHide, hideAfterMs);
    const onBlur = () => onHide();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') onHide();
    };
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [onHide, hideAfterMs]);

  return (
    <div className="secret" data-testid="secret-value">
      <label className="secret-label">
        <span>{label}</span>
        <textarea
          readOnly
          className="secret-text"
          value={value}
          rows={Math.min(12, value.split('\n').length + 1)}
          spellCheck={false}
          autoComplete="off"
        />
      </label>
      <p className="hint">
        Hides itself in {Math.round(hideAfterMs / 1000)} s or when you leave the window.{' '}
        <button type="button" className="button-link" onClick={onHide}>
          Hide now
        </button>
      </p>
    </div>
  );
}
