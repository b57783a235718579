// A push plan as the user confirms it: per secret, create, update, unchanged or conflict, with fingerprints (never
// values), the Azure name mapping, and the bundle fields kept as they are.
import type { PlanEntry, PushPlan } from '../../../../shared/push/push-plan.js';
import type { PushResult } from '../../../../shared/push/push-types.js';

const ACTION_BADGE = { create: 'badge-info', update: 'badge-warning', unchanged: 'badge-current', conflict: 'badge-error' } as const;
const OUTCOME_BADGE = { written: 'badge-current', unchanged: 'badge-current', failed: 'badge-error', skipped: 'badge-warning' } as const;

function entryText(e: PlanEntry): string {
  const where = e.field !== undefined ? ` as ${e.field}` : '';
  if (e.change === 'same') return `${e.key} v${e.version}${where}: already there`;
  if (e.change === 'add') return `${e.key} v${e.version}${where}: new (${e.fingerprint})`;
  return `${e.key} v${e.version}${where}: ${e.fingerprint} replaces ${e.remoteFingerprint}`;
}

export function PlanView({ plan }: { plan: PushPlan }) {
  return (
    <ul className="plain-list" aria-label={`Plan for ${plan.target}`} data-testid="push-plan">
      {plan.items.map((item) => (
        <li key={item.secret} data-testid={`plan-${item.secret}`}>
          <span className={`badge ${ACTION_BADGE[item.action]}`}>{item.action}</span> <code>{item.secret}</code>
          {item.mappedFrom ? <span className="hint"> (name mapped from {item.mappedFrom})</span> : null}
          {item.bundle ? <span className="hint"> (JSON bundle)</span> : null}
          {item.stage === 'pending' ? <span className="hint"> staged as AWSPENDING</span> : null}
          {item.recover ? <span className="hint"> recovering the deleted secret first</span> : null}
          <ul className="plain-list">
            {item.entries.map((e) => (
              <li key={`${e.key}-${e.field ?? ''}`} className="hint">
                {entryText(e)}
              </li>
            ))}
            {item.keptFields ? <li className="hint">{item.keptFields} other field(s) kept byte for byte</li> : null}
            {item.reason ? (
              <li className="field-error">
                {item.reason} <code className="code-tag">{item.code}</code>
              </li>
            ) : null}
          </ul>
        </li>
      ))}
    </ul>
  );
}

export function PushResultView({ result }: { result: PushResult }) {
  return (
    <ul className="plain-list" aria-label={`Result at ${result.target}`} data-testid="push-result">
      {result.items.map((item) => (
        <li key={item.secret} data-testid={`result-${item.secret}`}>
          <span className={`badge ${OUTCOME_BADGE[item.outcome]}`}>{item.outcome}</span> <code>{item.secret}</code>
          {item.versionId ? (
            <span className="hint">
              {' '}
              remote version <code data-testid={`version-${item.secret}`}>{item.versionId}</code>
              {item.stage === 'pending' ? ' (AWSPENDING)' : ''}
            </span>
          ) : null}
          {item.error ? (
            <p className="field-error">
              {item.error.message} <code className="code-tag">{item.error.code}</code>
            </p>
          ) : null}
          {item.warning ? <p className="hint">{item.warning}</p> : null}
        </li>
      ))}
    </ul>
  );
}
