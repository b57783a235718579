// The Audit screen: the newest log entries and whether the hash chain still verifies end to end.
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../../shared/domain/audit.js';
import type { AuditVerification } from '../../../../shared/domain/audit.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';

const LIMIT = 500;

function ChainResult({ result }: { result: AuditVerification }) {
  if (result.ok) {
    return (
      <p className="notice notice-ok" data-testid="audit-chain" data-ok="true">
        Chain intact: all {result.lines} {result.lines === 1 ? 'line verifies' : 'lines verify'}.
      </p>
    );
  }
  return (
    <p className="notice notice-error" data-testid="audit-chain" data-ok="false">
      Chain broken{result.firstBadLine ? ` at line ${result.firstBadLine}` : ''}:{' '}
      {result.reason ?? 'a line was edited, removed or reordered'}. Keep a copy of audit.log for investigation.
    </p>
  );
}

export function AuditScreen() {
  const [entries, setEntries] = useState<AuditEntry[] | undefined>(undefined);
  const [verification, setVerification] = useState<AuditVerification | undefined>(undefined);
  const load = useAsyncAction(async () => {
    const [list, verify] = await Promise.all([api.auditList({ limit: LIMIT }), api.auditVerify({})]);
    setEntries([...list].reverse());
    setVerification(verify);
  });
  const { run } = load;
  useEffect(() => {
    void run();
  }, [run]);

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Audit log</h1>
        <p className="lede">
          Every action on a key, newest first. Each line is chained to the one before it, so an edit or a removal shows.
        </p>
      </header>
      <div className="toolbar">
        <button type="button" onClick={() => void run()} disabled={load.pending}>
          {load.pending ? 'Checking…' : 'Reload and verify'}
        </button>
      </div>
      {verification ? <ChainResult result={verification} /> : null}
      <ErrorNotice error={load.error} onDismiss={load.clearError} />
      {entries && entries.length === 0 ? <p className="empty">Nothing has happened yet.</p> : null}
      {entries && entries.length > 0 ? (
        <table className="table" data-testid="audit-table">
          <caption className="visually-hidden">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Action</th>
              <th scope="col">Key</th>
              <th scope="col">Version</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.hash}>
                <td>
                  <time dateTime={e.ts}>{new Date(e.ts).toLocaleString()}</time>
                </td>
                <td>{e.action}</td>
                <td>{e.key}</td>
                <td>{e.version !== undefined ? `v${e.version}` : ''}</td>
                <td>{e.target ?? ''}</td>
                <td>
                  <span className={`badge badge-${e.outcome === 'ok' ? 'current' : 'retiring'}`}>{e.outcome}</span>
                  {e.code ? <code className="code-tag">{e.code}</code> : null}
                </td>
                <td>
                  <code title={e.hash}>{e.hash.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
