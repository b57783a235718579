// A saved plan as a checklist: its summary (keys, overlap, what users notice, warnings), the steps by phase with run and
// confirm buttons, long steps' progress inline, and the runbook exported as Markdown or JSON.
import { Fragment, useCallback, useEffect, useState } from 'react';
import type { PlanStatus, StepView } from '../../../../shared/rotation/progress.js';
import type { PlanStep } from '../../../../shared/rotation/types.js';
import { describeDuration } from '../../../../shared/rotation/durations.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { ConfirmStepDialog } from './confirm-step-dialog.js';
import { StepItem } from './step-item.js';

const PHASES: Record<PlanStep['phase'], string> = {
  prepare: 'Prepare: backups and the new version',
  publish: 'Publish: the application accepts both versions',
  switch: 'Switch: the new version takes over',
  retire: 'Retire: after the overlap window',
};

/** Consecutive steps of the same phase, for one heading each. */
function groups(steps: StepView[]): StepView[][] {
  const out: StepView[][] = [];
  for (const view of steps) {
    const last = out[out.length - 1];
    if (last && last[0]!.step.phase === view.step.phase) last.push(view);
    else out.push([view]);
  }
  return out;
}

/** Saves text as a file through the browser's download (the host never writes it). */
function download(fileName: string, mediaType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mediaType};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PlanChecklist({ planId, onChanged }: { planId: string; onChanged: () => void }) {
  const [status, setStatus] = useState<PlanStatus | undefined>(undefined);
  const [confirming, setConfirming] = useState<StepView | undefined>(undefined);
  const [message, setMessage] = useState('');
  const load = useAsyncAction(async () => setStatus(await api.rotationPlanStatus({ id: planId })));
  const { run: reload } = load;
  useEffect(() => {
    setStatus(undefined);
    void reload();
  }, [planId, reload]);

  const refresh = useCallback(() => {
    void reload();
    onChanged();
  }, [reload, onChanged]);

  const runStep = useAsyncAction(async (view: StepView) => {
    const result = await api.runRotationStep({ id: planId, step: view.step.n, confirm: true });
    setMessage(
      result.state.status === 'running'
        ? `Step ${view.step.n} is running as a job.`
        : `Step ${view.step.n} done${result.state.note ? `: ${result.state.note}` : '.'}`,
    );
    refresh();
  });
  const markDone = useAsyncAction(async (view: StepView, note: string) => {
    await api.markRotationStepDone({ id: planId, step: view.step.n, note });
    setMessage(`Step ${view.step.n} ticked off.`);
    refresh();
    return true;
  });
  const exportPlan = useAsyncAction(async (format: 'md' | 'json') => {
    const runbook = await api.exportRotationPlan({ id: planId, format });
    download(runbook.fileName, runbook.mediaType, runbook.text);
  });

  if (!status) return <ErrorNotice error={load.error} onDismiss={load.clearError} />;
  const { plan } = status;
  return (
    <section className="card plan" aria-labelledby="plan-title" data-testid="plan-checklist">
      <div className="plan-head">
        <h2 id="plan-title">
          {plan.title} <span className="hint">(plan {plan.id})</span>
        </h2>
        <div className="action-row">
          <button type="button" onClick={() => void exportPlan.run('md')}>
            Export Markdown
          </button>
          <button type="button" onClick={() => void exportPlan.run('json')}>
            Export JSON
          </button>
        </div>
      </div>
      <p className="plan-progress" role="status" data-testid="plan-progress">
        {status.done} of {status.steps.length} steps done
        {status.next === undefined ? ': the rotation is finished.' : `; next: step ${status.next}.`}
      </p>
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Steps done"
        aria-valuemin={0}
        aria-valuemax={status.steps.length}
        aria-valuenow={status.done}
      >
        <div className="progress-fill" style={{ width: `${Math.floor((100 * status.done) / status.steps.length)}%` }} />
      </div>
      <dl className="meta">
        <dt>Risk</dt>
        <dd>{plan.risk}</dd>
        <dt>Downtime</dt>
        <dd>{plan.downtime}</dd>
        {plan.keys.map((k) => (
          <Fragment key={k.name}>
            <dt>{k.name}</dt>
            <dd>
              v{k.from} → v{k.to}; overlap {describeDuration(k.overlap.ms)} ({k.overlap.basis.join('; ')}). {k.effects.join(' ')}
            </dd>
          </Fragment>
        ))}
      </dl>
      {plan.warnings.map((w) => (
        <p key={w} className="notice notice-warn">
          {w}
        </p>
      ))}
      <ErrorNotice error={exportPlan.error} onDismiss={exportPlan.clearError} />
      <p className="notice notice-ok" role="status">
        {message}
      </p>
      <ErrorNotice error={runStep.error ?? markDone.error} onDismiss={() => (runStep.clearError(), markDone.clearError())} />
      {groups(status.steps).map((group) => (
        <section key={group[0]!.step.n} className="phase" aria-label={PHASES[group[0]!.step.phase]}>
          <h3 className="phase-heading">{PHASES[group[0]!.step.phase]}</h3>
          <ol className="steps" start={group[0]!.step.n}>
            {group.map((view) => (
              <StepItem
                key={view.step.n}
                view={view}
                isNext={status.next === view.step.n}
                onRun={setConfirming}
                onDone={async (v, note) => (await markDone.run(v, note)) === true}
                onRefresh={refresh}
              />
            ))}
          </ol>
        </section>
      ))}
      {confirming ? (
        <ConfirmStepDialog
          view={confirming}
          pending={runStep.pending}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            const view = confirming;
            void runStep.run(view).finally(() => setConfirming(undefined));
          }}
        />
      ) : null}
    </section>
  );
}
