// One step of a plan in the checklist: what it does and why, its command, check and rollback, its state, and for the
// next step the way forward: "Run step N…" (confirmed in a dialog) or "Mark done…" (with a note). A long step shows its
// job's progress inline and is settled when the job ends.
import { useEffect, useRef, useState } from 'react';
import type { StepView } from '../../../../shared/rotation/progress.js';
import { describeDuration } from '../../../../shared/rotation/durations.js';
import { JobProgress } from '../../components/job-progress.js';
import { useJob } from '../../lib/use-job.js';

const STATUS_WORD = { pending: 'To do', running: 'Running', done: 'Done', failed: 'Failed' } as const;

function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '';
}

function StepJob({ jobId, onSettled }: { jobId: string; onSettled: () => void }) {
  const handle = useJob(jobId);
  const state = handle.job?.state;
  const settledRef = useRef(onSettled);
  settledRef.current = onSettled;
  useEffect(() => {
    // The step is settled from the job's result by the next status read, in whichever process reads it.
    if (state === 'done' || state === 'failed' || state === 'cancelled') settledRef.current();
  }, [state]);
  return <JobProgress handle={handle} />;
}

export function StepItem({
  view,
  isNext,
  onRun,
  onDone,
  onRefresh,
}: {
  view: StepView;
  isNext: boolean;
  onRun: (view: StepView) => void;
  onDone: (view: StepView, note: string) => Promise<boolean>;
  onRefresh: () => void;
}) {
  const { step, state } = view;
  const [noting, setNoting] = useState(false);
  const [note, setNote] = useState('');
  const headingId = `step-${step.n}-title`;
  const actionable = isNext && state.status !== 'done' && state.status !== 'running';
  return (
    <li
      className={`step step-${state.status}${isNext ? ' step-next' : ''}`}
      aria-labelledby={headingId}
      data-testid="plan-step"
      data-step={step.n}
      data-status={state.status}
    >
      <div className="step-head">
        <span className={`step-mark step-mark-${state.status}`} aria-hidden="true">
          {state.status === 'done' ? '✓' : state.status === 'failed' ? '!' : state.status === 'running' ? '…' : step.n}
        </span>
        <h3 id={headingId}>
          Step {step.n}: {step.title}
        </h3>
        <span className={`badge ${state.status === 'done' ? 'badge-current' : state.status === 'failed' ? 'badge-error' : 'badge-info'}`}>
          {STATUS_WORD[state.status]}
        </span>
        <span className="badge">{view.runnable ? 'Keyturn runs it' : 'By hand'}</span>
        {step.pointOfNoReturn ? <span className="badge badge-error">Point of no return</span> : null}
      </div>
      <p>{step.why}</p>
      {step.effect ? (
        <p className="notice notice-warn">
          <strong>{step.pointOfNoReturn ? 'Point of no return' : 'Users notice'}:</strong> {step.effect}
        </p>
      ) : null}
      {step.wait ? (
        <p className="hint">
          Not before {describeDuration(step.wait.ms)} after step {step.wait.afterStep} ({step.wait.reason})
          {view.notBefore ? `: ${when(view.notBefore)}` : ''}.
        </p>
      ) : null}
      {step.command ? (
        <pre className="step-command">
          <code>{step.command}</code>
        </pre>
      ) : null}
      <details className="step-details">
        <summary>Check and rollback</summary>
        {step.notes?.map((n) => (
          <p key={n} className="hint step-note">
            {n}
          </p>
        ))}
        <p>
          <strong>Check:</strong> {step.check.command ? <code>{step.check.command}</code> : null}
        </p>
        <pre className="step-expect">
          <code>{step.check.expect}</code>
        </pre>
        <p>
          <strong>Rollback:</strong> {step.rollback ? step.rollback.text : 'none: this is the point of no return.'}
        </p>
        {step.rollback?.command ? (
          <pre>
            <code>{step.rollback.command}</code>
          </pre>
        ) : null}
      </details>
      {state.status === 'done' ? (
        <p className="step-outcome" data-testid="step-outcome">
          Done {state.by === 'user' ? 'by hand' : 'by Keyturn'} {when(state.at)}
          {state.note ? `: ${state.note}` : ''}
        </p>
      ) : null}
      {state.status === 'failed' ? (
        <p className="notice notice-error" role="alert">
          Failed {when(state.at)} <code className="code-tag">{state.code ?? 'error'}</code>
          {state.note ? ` ${state.note}` : ''}
        </p>
      ) : null}
      {state.status === 'running' && state.job ? <StepJob jobId={state.job.id} onSettled={onRefresh} /> : null}
      {actionable && view.blocked ? <p className="hint">Cannot start yet: {view.blocked}.</p> : null}
      {actionable && !view.blocked ? (
        <div className="action-row">
          {view.runnable ? (
            <button type="button" className="button-primary" onClick={() => onRun(view)}>
              {state.status === 'failed' ? `Run step ${step.n} again…` : `Run step ${step.n}…`}
            </button>
          ) : null}
          <button type="button" onClick={() => setNoting(true)} aria-expanded={noting}>
            {view.runnable ? 'Done by hand…' : 'Mark done…'}
          </button>
        </div>
      ) : null}
      {actionable && !view.blocked && noting ? (
        <form
          className="step-note-form"
          aria-label={`Mark step ${step.n} done`}
          onSubmit={(e) => {
            e.preventDefault();
            void onDone(view, note).then((ok) => {
              if (ok) {
                setNoting(false);
                setNote('');
              }
            });
          }}
        >
          <label>
            <span>What was done (who, what the check printed; never a value)</span>
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={500} />
          </label>
          <div className="action-row">
            <button type="submit" className="button-primary" disabled={note.trim().length === 0}>
              Confirm step {step.n} done
            </button>
            <button type="button" onClick={() => setNoting(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
