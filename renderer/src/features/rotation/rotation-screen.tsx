// The Rotation screen: a timeline of keys by age and due date, a key's policy and "Plan rotation", the saved plans, and
// the chosen plan as a checklist followed to the end. The chosen key and plan survive leaving the screen.
import { useCallback, useEffect, useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import type { EnvProfile } from '../../../../shared/envcheck/types.js';
import type { DueReport } from '../../../../shared/rotation/policy.js';
import type { PlanSummary } from '../../../../shared/rotation/progress.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { DueTimeline } from './due-timeline.js';
import { PlanChecklist } from './plan-checklist.js';
import { PlanForm } from './plan-form.js';
import { PolicyForm } from './policy-form.js';

const LAST_PLAN = 'keyturn.rotation.plan';
const LAST_KEY = 'keyturn.rotation.key';

function remember(name: string, value: string | undefined): void {
  if (value) sessionStorage.setItem(name, value);
  else sessionStorage.removeItem(name);
}

export function RotationScreen() {
  const [report, setReport] = useState<DueReport | undefined>(undefined);
  const [keys, setKeys] = useState<KeyRecord[]>([]);
  const [plans, setPlans] = useState<PlanSummary[]>([]);
  const [profiles, setProfiles] = useState<EnvProfile[]>([]);
  const [selected, setSelected] = useState<string | undefined>(() => sessionStorage.getItem(LAST_KEY) ?? undefined);
  const [planning, setPlanning] = useState(false);
  const [planId, setPlanId] = useState<string | undefined>(() => sessionStorage.getItem(LAST_PLAN) ?? undefined);

  const load = useAsyncAction(async () => {
    const [due, list, saved] = await Promise.all([api.rotationDue({}), api.listKeys({}), api.listRotationPlans({})]);
    setReport(due);
    setKeys(list);
    setPlans(saved);
  });
  const { run: reload } = load;
  const loadProfiles = useAsyncAction(async () => setProfiles(await api.envProfiles({})));
  const { run: runProfiles } = loadProfiles;
  useEffect(() => {
    void reload();
    void runProfiles();
  }, [reload, runProfiles]);

  const choose = useCallback((key: string) => {
    setSelected(key);
    remember(LAST_KEY, key);
    setPlanning(false);
  }, []);
  const open = useCallback((id: string | undefined) => {
    setPlanId(id);
    remember(LAST_PLAN, id);
  }, []);
  const onChanged = useCallback(() => void reload(), [reload]);

  const entry = report?.entries.find((e) => e.key === selected);
  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Rotation</h1>
        <p className="lede">
          What is due, and a plan for each rotation: backups, the new version, deploys with both keys, re-encryption, the switch and the
          retirement, each with its check and rollback. Keyturn runs what it can after you confirm; you tick off the rest.
        </p>
      </header>
      <ErrorNotice error={load.error} onDismiss={load.clearError} />
      {report && report.entries.length === 0 ? (
        <p className="empty">No keys yet. Store one from Generate, then plan its rotation here.</p>
      ) : null}
      {report && report.entries.length > 0 ? (
        <section className="card" aria-labelledby="due-title">
          <h2 id="due-title">Due dates</h2>
          <DueTimeline report={report} selected={selected} onSelect={choose} />
        </section>
      ) : null}
      {entry ? (
        <section className="card" aria-labelledby="key-title" data-testid="selected-key">
          <h2 id="key-title">{entry.key}</h2>
          <p>
            v{entry.version} ({entry.kind}) was made {entry.created.slice(0, 10)}; it is due {entry.due.slice(0, 10)} under a policy of
            every {entry.policy.maxAge}
            {entry.policy.source === 'default' ? ' (the default for its kind)' : ''}.
            {entry.rotation
              ? ` A rotation is under way: plan ${entry.rotation.plan}, ${entry.rotation.done} of ${entry.rotation.steps} steps done.`
              : ''}
          </p>
          <PolicyForm key={`${entry.key}:${entry.policy.maxAge}:${entry.policy.warn}`} entry={entry} onSaved={onChanged} />
          <div className="action-row">
            {entry.rotation ? (
              <button type="button" onClick={() => open(entry.rotation!.plan)}>
                Open plan {entry.rotation.plan}
              </button>
            ) : null}
            <button type="button" className="button-primary" onClick={() => setPlanning(true)} aria-expanded={planning}>
              Plan rotation
            </button>
          </div>
        </section>
      ) : null}
      {planning && selected ? (
        <PlanForm
          keys={keys}
          initialKey={selected}
          profiles={profiles}
          onCancel={() => setPlanning(false)}
          onPlanned={(status) => {
            setPlanning(false);
            open(status.plan.id);
            void reload();
          }}
        />
      ) : null}
      {plans.length > 0 ? (
        <section className="card" aria-labelledby="plans-title">
          <h2 id="plans-title">Plans</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Keys</th>
                <th scope="col">Progress</th>
                <th scope="col">Made</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.id} aria-current={p.id === planId ? 'true' : undefined}>
                  <th scope="row">{p.id}</th>
                  <td>{p.keys.join(', ')}</td>
                  <td>
                    {p.done} of {p.steps}
                    {p.next === undefined
                      ? ', finished'
                      : p.failed
                        ? `, step ${p.failed} failed`
                        : p.running
                          ? `, step ${p.running} running`
                          : ''}
                  </td>
                  <td>{p.created.slice(0, 10)}</td>
                  <td className="cell-actions">
                    <button type="button" className="button-small" onClick={() => open(p.id)} disabled={p.id === planId}>
                      {p.id === planId ? 'Open' : `Open ${p.id}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {planId ? <PlanChecklist key={planId} planId={planId} onChanged={onChanged} /> : null}
    </div>
  );
}
