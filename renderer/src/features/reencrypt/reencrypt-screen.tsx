// The "Re-encrypt" screen: a database named by a .env file and a variable, a Fernet key from the keychain; scan the
// columns per key version, run (or dry-run) the re-encryption as a job with pause, resume and cancel, verify, and
// retire the old key version once every token opens under the new one. Counts and row keys only, never a value.
import { useEffect, useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import type { CensusReport, ReencryptResult, RowReport } from '../../../../shared/domain/reencrypt.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JobProgress } from '../../components/job-progress.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { useJob } from '../../lib/use-job.js';

const LAST_JOB = 'keyturn.reencrypt.job';
const n = (x: number): string => x.toLocaleString('en-US');
const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function keyText(key: RowReport['key']): string {
  return key.map((v) => ('s' in v ? v.s : 'n' in v ? String(v.n) : 'i' in v ? v.i : 'bytes')).join(', ');
}

function CensusTable({ report, mode }: { report: CensusReport; mode: 'scan' | 'verify' }) {
  return (
    <section className="card" aria-label={mode === 'scan' ? 'Scan results' : 'Verify report'} data-testid={`reencrypt-${mode}`}>
      <p className="hint">
        {report.database}; new key {report.keyLabels.newKey}
        {report.keyLabels.oldKeys.length > 0 ? `, old ${report.keyLabels.oldKeys.join(', ')}` : ''}
      </p>
      {report.tables.length === 0 ? <p>No column holding Fernet tokens was found.</p> : null}
      {report.tables.map((t) => (
        <table key={`${t.schema}.${t.table}`} className="data-table">
          <caption>
            {t.schema}.{t.table}: {n(t.rows)} rows{t.note ? ` (${t.note})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">New key</th>
              <th scope="col">Old keys</th>
              <th scope="col">NULL</th>
              <th scope="col">Empty</th>
              <th scope="col">No key opens</th>
            </tr>
          </thead>
          <tbody>
            {t.columns.map((c) => (
              <tr key={c.column} data-column={c.column}>
                <th scope="row">{c.column}</th>
                <td>{n(c.counts.current)}</td>
                <td>
                  {Object.entries(c.counts.byKey)
                    .filter(([label]) => label !== report.keyLabels.newKey)
                    .map(([label, count]) => `${label}: ${n(count)}`)
                    .join(', ') || '0'}
                </td>
                <td>{n(c.counts.nulls)}</td>
                <td>{n(c.counts.empty)}</td>
                <td>{n(c.counts.poison)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {mode === 'verify' ? (
        <p className={`notice ${report.safeToRetire ? 'notice-ok' : 'notice-warn'}`} role="status">
          {report.safeToRetire
            ? 'Every token opens under the new key alone: the old version can be retired.'
            : 'Not every token opens under the new key alone: do not retire the old version yet.'}
        </p>
      ) : null}
    </section>
  );
}

export function ReencryptScreen() {
  const [envFile, setEnvFile] = useState('');
  const [dbEnv, setDbEnv] = useState('DATABASE_URL');
  const [keyName, setKeyName] = useState('');
  const [table, setTable] = useState('');
  const [columns, setColumns] = useState('');
  const [schema, setSchema] = useState('');
  const [pk, setPk] = useState('');
  const [keys, setKeys] = useState<KeyRecord[]>([]);
  const [scan, setScan] = useState<CensusReport | undefined>(undefined);
  const [verify, setVerify] = useState<CensusReport | undefined>(undefined);
  const [rows, setRows] = useState<RowReport[]>([]);
  const [retired, setRetired] = useState<string[]>([]);
  const [jobId, setJobId] = useState<string | undefined>(() => sessionStorage.getItem(LAST_JOB) ?? undefined);
  const job = useJob(jobId);
  const result = job.job?.state === 'done' ? (job.job.result as ReencryptResult) : undefined;

  const loadKeys = useAsyncAction(async () => {
    const fernet = (await api.listKeys({})).filter((k) => k.kind === 'fernet');
    setKeys(fernet);
    setKeyName((current) => current || fernet[0]?.name || '');
  });
  const { run: runLoadKeys } = loadKeys;
  useEffect(() => {
    void runLoadKeys();
  }, [runLoadKeys]);
  const finishedId = result ? jobId : undefined;
  useEffect(() => {
    if (finishedId) void api.reencryptRows({ jobId: finishedId }).then(setRows, () => setRows([]));
  }, [finishedId]);

  const connection = () => ({ envFile: envFile.trim(), dbEnv: dbEnv.trim(), keyName });
  const target = () => ({
    ...connection(),
    table: table.trim(),
    columns: list(columns),
    ...(list(pk).length > 0 ? { pk: list(pk) } : {}),
    ...(schema.trim() ? { schema: schema.trim() } : {}),
  });
  const doScan = useAsyncAction(async () => {
    setScan(undefined);
    const report = await api.reencryptScan({
      ...connection(),
      ...(table.trim() ? { table: table.trim() } : {}),
      ...(schema.trim() ? { schema: schema.trim() } : {}),
    });
    setScan(report);
    // The first table's token columns become the run's columns, so a scan leads straight to a run.
    const first = report.tables[0];
    if (first && !columns.trim()) {
      setTable(first.table);
      setColumns(first.columns.map((c) => c.column).join(', '));
    }
  });
  const start = useAsyncAction(async (dryRun: boolean) => {
    setVerify(undefined);
    setRows([]);
    const { jobId: started } = await api.startJob({ kind: 'reencrypt', params: { ...target(), dryRun } });
    sessionStorage.setItem(LAST_JOB, started);
    setJobId(started);
  });
  const doVerify = useAsyncAction(async () => setVerify(await api.reencryptVerify(target())));
  const retire = useAsyncAction(async () => {
    if (!verify?.safeToRetire) return;
    const done: string[] = [];
    for (const label of verify.keyLabels.oldKeys) {
      const match = /^(.+)@v(\d+)$/.exec(label);
      if (!match) continue;
      await api.retireKeyVersion({ name: match[1]!, version: Number(match[2]) });
      done.push(label);
    }
    setRetired(done);
    void runLoadKeys();
  });

  const ready = envFile.trim() !== '' && dbEnv.trim() !== '' && keyName !== '';
  const runnable = ready && table.trim() !== '' && list(columns).length > 0;
  const poison = rows.filter((r) => r.type === 'poison');

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Re-encrypt</h1>
        <p className="lede">
          Re-encrypts stored Fernet tokens under the key&apos;s current version, in resumable batches that never overwrite the
          application&apos;s own writes. Values are never shown.
        </p>
      </header>
      <form className="card" aria-label="Database and key" onSubmit={(e) => e.preventDefault()}>
        <div className="form-grid">
          <label>
            <span>.env file with the database URL</span>
            <input
              value={envFile}
              onChange={(e) => setEnvFile(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder="/srv/app/infra/.env"
            />
          </label>
          <label>
            <span>Variable holding the URL</span>
            <input value={dbEnv} onChange={(e) => setDbEnv(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <label>
            <span>Fernet key (current version encrypts)</span>
            <select value={keyName} onChange={(e) => setKeyName(e.target.value)}>
              {keys.length === 0 ? <option value="">No Fernet key in the keychain</option> : null}
              {keys.map((k) => (
                <option key={k.name} value={k.name}>
                  {k.name} (v{k.current}, {k.versions.filter((v) => v.status === 'retiring').length} older)
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Table</span>
            <input value={table} onChange={(e) => setTable(e.target.value)} spellCheck={false} autoComplete="off" placeholder="users" />
          </label>
          <label>
            <span>Token columns, comma-separated</span>
            <input
              value={columns}
              onChange={(e) => setColumns(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder="email, phone"
            />
          </label>
          <label>
            <span>Schema or pattern (optional)</span>
            <input
              value={schema}
              onChange={(e) => setSchema(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder="tenant_%"
            />
          </label>
          <label>
            <span>Key columns if no primary key (optional)</span>
            <input value={pk} onChange={(e) => setPk(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
        </div>
        <ErrorNotice error={loadKeys.error} onDismiss={loadKeys.clearError} />
        <div className="form-actions">
          <button type="button" disabled={!ready || doScan.pending} onClick={() => void doScan.run()}>
            {doScan.pending ? 'Scanning…' : 'Scan'}
          </button>
          <button type="button" disabled={!runnable || start.pending || job.active} onClick={() => void start.run(true)}>
            Dry run
          </button>
          <button
            type="button"
            className="button-primary"
            disabled={!runnable || start.pending || job.active}
            onClick={() => void start.run(false)}
          >
            Re-encrypt
          </button>
          <button type="button" disabled={!runnable || doVerify.pending || job.active} onClick={() => void doVerify.run()}>
            {doVerify.pending ? 'Verifying…' : 'Verify'}
          </button>
        </div>
      </form>
      <ErrorNotice error={doScan.error} onDismiss={doScan.clearError} />
      <ErrorNotice error={start.error} onDismiss={start.clearError} />
      <ErrorNotice error={doVerify.error} onDismiss={doVerify.clearError} />
      {scan ? <CensusTable report={scan} mode="scan" /> : null}
      {jobId ? <JobProgress handle={job} /> : null}
      {result ? (
        <section className="card" aria-label="Job result" data-testid="reencrypt-result">
          <p role="status">
            {result.dryRun ? 'Dry run, nothing written' : result.finished ? 'Re-encrypted' : 'Stopped'}:{' '}
            {result.keyLabels.oldKeys.join(', ')} → {result.keyLabels.newKey}.{' '}
            {result.tables
              .map((t) => `${t.schema}.${t.table}: ${n(t.rows)} rows, ${n(t.written)} ${result.dryRun ? 'to write' : 'written'}`)
              .join('; ')}
          </p>
          {poison.length > 0 ? (
            <p className="notice notice-warn">
              {n(poison.length)} {poison.length === 1 ? 'row holds' : 'rows hold'} a token no key opens (left unchanged):{' '}
              {poison
                .slice(0, 10)
                .map((r) => `${r.table} (${keyText(r.key)})`)
                .join(', ')}
              {poison.length > 10 ? ', …' : ''}
            </p>
          ) : null}
        </section>
      ) : null}
      {verify ? <CensusTable report={verify} mode="verify" /> : null}
      {verify?.safeToRetire && verify.keyLabels.oldKeys.length > 0 ? (
        <div className="card">
          <button type="button" className="button-danger" disabled={retire.pending || retired.length > 0} onClick={() => void retire.run()}>
            Retire {verify.keyLabels.oldKeys.join(', ')}
          </button>
          {retired.length > 0 ? <p role="status">Retired {retired.join(', ')}: deleted from the keychain.</p> : null}
          <ErrorNotice error={retire.error} onDismiss={retire.clearError} />
        </div>
      ) : null}
    </div>
  );
}
