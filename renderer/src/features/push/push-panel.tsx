// "Push to…" on a key: choose a target and a secret (or a JSON bundle), see the plan, confirm, watch the push run as a
// job, and see the result with the remote version ids. The job id is kept for the session, so leaving loses nothing.
import { useEffect, useState, type FormEvent } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import { writes, type PushPlan } from '../../../../shared/push/push-plan.js';
import type { PushRequest, PushResult } from '../../../../shared/push/push-types.js';
import { azureNameFor } from '../../../../shared/push/secret-names.js';
import type { Target } from '../../../../shared/push/targets.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JobProgress } from '../../components/job-progress.js';
import { TextField } from '../../components/text-field.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { useJob } from '../../lib/use-job.js';
import { PlanView, PushResultView } from './plan-view.js';

const storageKey = (name: string) => `keyturn.push.${name}`;

export function PushPanel({ record, onClose, onPushed }: { record: KeyRecord; onClose: () => void; onPushed: () => void }) {
  const [targets, setTargets] = useState<Target[] | undefined>(undefined);
  const [targetName, setTargetName] = useState('');
  const [mode, setMode] = useState<'own' | 'bundle'>('own');
  const [secretName, setSecretName] = useState('');
  const [bundle, setBundle] = useState('');
  const [pending, setPending] = useState(false);
  const [plan, setPlan] = useState<{ plan: PushPlan; request: PushRequest } | undefined>(undefined);
  const [jobId, setJobId] = useState<string | undefined>(() => sessionStorage.getItem(storageKey(record.name)) ?? undefined);
  const job = useJob(jobId);

  const load = useAsyncAction(async () => {
    const list = await api.listTargets({});
    setTargets(list);
    setTargetName((current) => current || list[0]?.name || '');
  });
  const { run: loadTargets } = load;
  useEffect(() => {
    void loadTargets();
  }, [loadTargets]);

  const target = targets?.find((t) => t.name === targetName);
  const request = (): PushRequest => ({
    keys: [{ name: record.name }],
    target: targetName,
    ...(mode === 'own' && secretName.trim() !== '' ? { secretName: secretName.trim() } : {}),
    ...(mode === 'bundle' ? { bundle: bundle.trim() } : {}),
    ...(pending && target?.kind === 'aws' ? { stage: 'pending' as const } : {}),
  });
  const showPlan = useAsyncAction(async () => {
    const req = request();
    setPlan({ plan: await api.planPush(req), request: req });
  });
  const start = useAsyncAction(async () => {
    if (!plan) return;
    const confirmed = {
      items: plan.plan.items.map(({ secret, action, remoteVersion }) => ({
        secret,
        action,
        ...(remoteVersion !== undefined ? { remoteVersion } : {}),
      })),
    };
    const { jobId: id } = await api.startJob({ kind: 'push', params: { request: plan.request, confirmed } });
    sessionStorage.setItem(storageKey(record.name), id);
    setJobId(id);
  });

  useEffect(() => {
    if (job.job?.state === 'done') onPushed();
  }, [job.job?.state, onPushed]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void showPlan.run();
  };
  const reset = () => {
    sessionStorage.removeItem(storageKey(record.name));
    setJobId(undefined);
    setPlan(undefined);
  };
  const result = job.job?.state === 'done' ? (job.job.result as PushResult) : undefined;
  const defaultName = target?.kind === 'azure' ? azureNameFor(record.name) : record.name;
  const toWrite = plan ? plan.plan.items.filter(writes).length : 0;

  return (
    <section className="card" aria-label={`Push ${record.name}`} data-testid={`push-panel-${record.name}`}>
      <h3>Push {record.name}</h3>
      {jobId ? (
        <>
          <JobProgress handle={job} />
          {result ? <PushResultView result={result} /> : null}
          <div className="action-row">
            <button type="button" onClick={reset} disabled={job.active}>
              Push again…
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form className="form-grid" onSubmit={submit} aria-label="Where to push">
          {targets && targets.length === 0 ? <p className="form-wide empty">No targets yet: add one on the Targets screen.</p> : null}
          <label>
            <span>Target</span>
            <select
              value={targetName}
              onChange={(e) => {
                setTargetName(e.target.value);
                setPlan(undefined);
              }}
            >
              {(targets ?? []).map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name} ({t.kind})
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Into</span>
            <select
              value={mode}
              onChange={(e) => {
                setMode(e.target.value === 'bundle' ? 'bundle' : 'own');
                setPlan(undefined);
              }}
            >
              <option value="own">its own secret</option>
              <option value="bundle">a JSON bundle (field {record.envVar ?? 'from the env-var hint'})</option>
            </select>
          </label>
          {mode === 'own' ? (
            <TextField
              id={`secret-${record.name}`}
              label="Secret name"
              value={secretName}
              placeholder={defaultName}
              onChange={(v) => {
                setSecretName(v);
                setPlan(undefined);
              }}
            />
          ) : (
            <TextField
              id={`bundle-${record.name}`}
              label="Bundle secret"
              value={bundle}
              placeholder="app/production"
              onChange={(v) => {
                setBundle(v);
                setPlan(undefined);
              }}
            />
          )}
          {target?.kind === 'aws' ? (
            <label className="inline-check">
              <input
                type="checkbox"
                checked={pending}
                onChange={(e) => {
                  setPending(e.target.checked);
                  setPlan(undefined);
                }}
              />
              <span>Stage as AWSPENDING (promote later)</span>
            </label>
          ) : null}
          {mode === 'own' && target?.kind === 'azure' && secretName === '' && defaultName !== record.name ? (
            <p className="form-note form-wide">
              Azure names allow only letters, digits and hyphens: {record.name} goes to {defaultName}.
            </p>
          ) : null}
          <div className="form-actions form-wide">
            <button type="submit" disabled={!target || showPlan.pending || (mode === 'bundle' && bundle.trim() === '')}>
              {showPlan.pending ? 'Reading the target…' : 'Show plan'}
            </button>
            {plan ? (
              <button type="button" className="button-primary" disabled={toWrite === 0 || start.pending} onClick={() => void start.run()}>
                {toWrite === 0 ? 'Nothing to push' : `Push ${toWrite} secret${toWrite === 1 ? '' : 's'}`}
              </button>
            ) : null}
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
          {plan ? (
            <div className="form-wide">
              <PlanView plan={plan.plan} />
            </div>
          ) : null}
          <div className="form-wide">
            <ErrorNotice error={load.error ?? showPlan.error ?? start.error} />
          </div>
        </form>
      )}
    </section>
  );
}
