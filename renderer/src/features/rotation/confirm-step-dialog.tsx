// The confirmation before Keyturn runs a step: what it does, the command it stands for, what users notice, and whether
// it can be undone. Only the "Run step N" button in this modal dialog sends the request.
import { useEffect, useRef } from 'react';
import type { StepView } from '../../../../shared/rotation/progress.js';

export function ConfirmStepDialog({
  view,
  pending,
  onConfirm,
  onCancel,
}: {
  view: StepView;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const { step } = view;
  return (
    <dialog ref={dialog} className="confirm-dialog" aria-labelledby="confirm-step-title" onCancel={onCancel}>
      <h2 id="confirm-step-title">
        Run step {step.n}: {step.title}?
      </h2>
      <p>{step.why}</p>
      {step.command ? (
        <>
          <p className="hint">Keyturn does what this command does; no value is shown or written anywhere else:</p>
          <pre>
            <code>{step.command}</code>
          </pre>
        </>
      ) : null}
      {step.effect ? (
        <p className="notice notice-warn">
          <strong>{step.pointOfNoReturn ? 'Point of no return' : 'Users notice'}:</strong> {step.effect}
        </p>
      ) : null}
      <p>{step.rollback ? `Rollback: ${step.rollback.text}` : 'This step cannot be undone.'}</p>
      <div className="form-actions">
        <button type="button" className={step.pointOfNoReturn ? 'button-danger' : 'button-primary'} onClick={onConfirm} disabled={pending}>
          {pending ? 'Running…' : `Run step ${step.n}`}
        </button>
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
