// One checked file: its findings with their fixes, "generate" for a missing secret, and "fill missing values".
import { useState } from 'react';
import type { EnvFileReport, EnvFinding, EnvFixResult, FixAction } from '../../../../shared/envcheck/report.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import type { GeneratePrefill } from '../generate/generate-screen.js';
import { prefillFor } from './generate-prefill.js';

const FIX_LABELS: Record<FixAction, string> = {
  generate: 'generate a value',
  regenerate: 'generate a new value',
  add: 'add the variable',
  'set-default': 'set the documented default',
  edit: 'edit the value',
  'remove-line': 'remove the line',
  quote: 'quote the value',
  'update-example': 'update .env.example',
  chmod: 'restrict the file permissions',
  untrack: 'stop tracking the file in git',
};

function FindingItem({ finding, onGenerate }: { finding: EnvFinding; onGenerate: (p: GeneratePrefill) => void }) {
  const prefill = prefillFor(finding);
  return (
    <li className="finding" data-code={finding.code}>
      <span className={`badge badge-${finding.severity}`}>{finding.severity}</span>
      <div>
        <strong>{finding.variable ?? finding.code}</strong>
        {finding.line ? <span className="hint"> line {finding.line}</span> : null} <code className="code-tag">{finding.code}</code>
        <div>{finding.message}</div>
      </div>
      {finding.fix ? (
        <div className="finding-fix">
          Fix: {FIX_LABELS[finding.fix.action]}
          {finding.fix.command ? (
            <>
              {' '}
              with <code>{finding.fix.command}</code>
            </>
          ) : null}
          {prefill ? (
            <>
              {' '}
              <button type="button" className="button-small" onClick={() => onGenerate(prefill)}>
                Generate {finding.variable}…
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function FileReport({
  file,
  fixOptions,
  onGenerate,
  onFixed,
}: {
  file: EnvFileReport;
  fixOptions: { profile?: string; schemaFile?: string };
  onGenerate: (p: GeneratePrefill) => void;
  onFixed: () => void;
}) {
  const [storePrefix, setStorePrefix] = useState('');
  const [fixed, setFixed] = useState<EnvFixResult | undefined>(undefined);
  const fix = useAsyncAction(async () => {
    setFixed(await api.envFix({ file: file.path, ...fixOptions, ...(storePrefix ? { storePrefix } : {}) }));
    onFixed();
  });
  const canFill = file.role === 'env' && file.findings.some((f) => f.fix?.action === 'generate' || f.fix?.action === 'add');

  return (
    <article className="card file-report" aria-label={file.path} data-testid="env-file">
      <h2>
        <code>{file.path}</code> {file.role !== 'env' ? <span className="hint">({file.role})</span> : null}
      </h2>
      {file.findings.length === 0 ? <p className="notice notice-ok">No findings.</p> : null}
      <ul className="plain-list">
        {file.findings.map((f, i) => (
          <FindingItem key={`${f.code}-${f.variable ?? ''}-${f.line ?? ''}-${i}`} finding={f} onGenerate={onGenerate} />
        ))}
      </ul>
      {canFill ? (
        <div className="action-row">
          <label className="inline-field">
            <span>Also store new values in the keychain, names prefixed with (optional)</span>
            <input
              value={storePrefix}
              onChange={(e) => setStorePrefix(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder="myapp-"
            />
          </label>
          <button type="button" onClick={() => void fix.run()} disabled={fix.pending}>
            {fix.pending ? 'Filling…' : 'Fill missing values'}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={fix.error} onDismiss={fix.clearError} />
      {fixed ? <FixSummary result={fixed} /> : null}
    </article>
  );
}

function FixSummary({ result }: { result: EnvFixResult }) {
  const added = result.added.map((a) => a.variable);
  return (
    <div className="notice notice-ok" role="status" data-testid="env-fix-result">
      <p>
        {result.changed
          ? `Wrote ${added.length > 0 ? added.join(', ') : 'changes'} to ${result.file}`
          : `Nothing to change in ${result.file}`}
        {result.backup ? `; the previous file is kept as ${result.backup}` : ''}.
      </p>
      {result.stored.length > 0 ? (
        <p>Stored in the keychain: {result.stored.map((s) => `${s.variable} as ${s.name}`).join(', ')}.</p>
      ) : null}
      {result.unfilled.map((u) => (
        <p key={u.variable}>
          {u.variable}: {u.reason}
        </p>
      ))}
    </div>
  );
}
