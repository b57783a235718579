// One checked file: its findings with their fixes, "generate" for a missing secret, and a "fix" button that runs
// `env fix` on exactly the findings it handles (fixHandles, kept equal to what fix does by a test).
import { useState } from 'react';
import { fixHandles } from '../../../../shared/envcheck/fix-plan.js';
import type { EnvFileReport, EnvFinding, EnvFixResult, FixAction } from '../../../../shared/envcheck/report.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { withHint } from '../../lib/error-hints.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { useSessionState } from '../../lib/use-session-state.js';
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
  'set-from-key': 'write the current version of the stored key',
};

const ADD_VERSION = 'Add as new versions of keys that exist';
/** sessionStorage key prefix of a file's last fix result (read by the screen to keep a fixed file's card). */
export const FIXED_KEY = 'keyturn.envcheck.fixed:';

function FindingItem({ finding, onGenerate }: { finding: EnvFinding; onGenerate: (p: GeneratePrefill) => void }) {
  const prefill = prefillFor(finding);
  // Most messages already end with the command; it is shown on its own only where the sentence does not hold it.
  const command = finding.fix?.command && !finding.message.includes(finding.fix.command) ? finding.fix.command : undefined;
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
          {command ? (
            <>
              {' '}
              with <code>{command}</code>
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
  const [addVersion, setAddVersion] = useState(false);
  // The fix result stays with the file when the user leaves the screen and comes back (it holds no value).
  const [fixed, setFixed] = useSessionState<EnvFixResult | undefined>(`${FIXED_KEY}${file.path}`, undefined);
  const fix = useAsyncAction(async () => {
    setFixed(
      await api.envFix({
        file: file.path,
        ...fixOptions,
        ...(storePrefix ? { storePrefix, ...(addVersion ? { addVersion } : {}) } : {}),
      }),
    );
    onFixed();
  });
  const fixable = file.role === 'env' ? file.findings.filter(fixHandles).length : 0;

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
      {fixable > 0 ? (
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
          {storePrefix ? (
            <label className="inline-check">
              <input type="checkbox" checked={addVersion} onChange={(e) => setAddVersion(e.target.checked)} />
              <span>{ADD_VERSION}</span>
            </label>
          ) : null}
          <button type="button" onClick={() => void fix.run()} disabled={fix.pending}>
            {fix.pending ? 'Fixing…' : `Fix ${fixable} ${fixable === 1 ? 'value' : 'values'} with new secrets`}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={withHint(fix.error, 'already-exists', `Tick “${ADD_VERSION}” to do that.`)} onDismiss={fix.clearError} />
      {fixed ? <FixSummary result={fixed} /> : null}
    </article>
  );
}

function FixSummary({ result }: { result: EnvFixResult }) {
  const written = [...result.added, ...result.regenerated].map((a) => a.variable);
  return (
    <div className="notice notice-ok" role="status" data-testid="env-fix-result">
      <p>
        {result.changed ? `Wrote ${written.join(', ')} to ${result.file}` : `Nothing to change in ${result.file}`}
        {result.backup ? `; the previous file is kept as ${result.backup}` : ''}.
      </p>
      {result.permissions ? (
        <p>
          The file now holds fresh secrets, so it is readable by its owner only (mode {result.permissions.from} → {result.permissions.to}).
        </p>
      ) : null}
      {result.stored.length > 0 ? (
        <p>
          Stored in the keychain: {result.stored.map((s) => `${s.variable} as ${s.name}${s.version ? ` v${s.version}` : ''}`).join(', ')}.
        </p>
      ) : null}
      {result.unfilled.map((u) => (
        <p key={u.variable}>
          {u.variable}: {u.reason}
        </p>
      ))}
    </div>
  );
}
