// The "Check .env" screen: choose files or folders and a profile or schema, see findings per file, fill what is missing.
import { useEffect, useState } from 'react';
import type { EnvReport } from '../../../../shared/envcheck/report.js';
import type { EnvProfile } from '../../../../shared/envcheck/types.js';
import type { AppInfo } from '../../../../shared/ipc/features/app.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { JobProgress } from '../../components/job-progress.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { useJob } from '../../lib/use-job.js';
import type { GeneratePrefill } from '../generate/generate-screen.js';
import { FileReport } from './file-report.js';

const LAST_JOB = 'keyturn.envcheck.job';

function splitPaths(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function EnvCheckScreen({ info, onGenerate }: { info: AppInfo; onGenerate: (p: GeneratePrefill) => void }) {
  const [pathsText, setPathsText] = useState('');
  const [profiles, setProfiles] = useState<EnvProfile[]>([]);
  const [profile, setProfile] = useState('');
  const [schemaFile, setSchemaFile] = useState('');
  const [example, setExample] = useState('');
  // The last check is a job in the host: its id survives leaving this screen (and a reload of the tab).
  const [jobId, setJobId] = useState<string | undefined>(() => sessionStorage.getItem(LAST_JOB) ?? undefined);
  const checkJob = useJob(jobId);
  // The last finished report stays on screen while a re-check (after a fix) runs, so each file's fix result stays too.
  const [report, setReport] = useState<EnvReport | undefined>(undefined);
  const finished = checkJob.job?.state === 'done' ? (checkJob.job.result as EnvReport) : undefined;
  useEffect(() => {
    if (finished) setReport(finished);
  }, [finished]);

  const loadProfiles = useAsyncAction(async () => setProfiles(await api.envProfiles({})));
  const { run: runProfiles } = loadProfiles;
  useEffect(() => {
    void runProfiles();
  }, [runProfiles]);

  const pick = useAsyncAction(async (mode: 'files' | 'folder') => {
    const { paths } = await api.pickPaths({ mode });
    if (paths.length > 0) setPathsText((current) => [...splitPaths(current), ...paths].join('\n'));
  });

  const options = () => ({
    ...(profile ? { profile } : {}),
    ...(schemaFile.trim() ? { schemaFile: schemaFile.trim() } : {}),
  });
  const check = useAsyncAction(async (fresh: boolean) => {
    if (fresh) {
      setJobId(undefined);
      setReport(undefined);
    }
    const params = { paths: splitPaths(pathsText), ...options(), ...(example.trim() ? { example: example.trim() } : {}) };
    const { jobId: started } = await api.startJob({ kind: 'envcheck', params });
    sessionStorage.setItem(LAST_JOB, started);
    setJobId(started);
  });
  const paths = splitPaths(pathsText);
  const selected = profiles.find((p) => p.id === profile);

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Check .env</h1>
        <p className="lede">
          Finds missing, malformed, weak and published values before a deploy does. Values are never shown, only where and why.
        </p>
      </header>
      <form
        className="card"
        aria-label="What to check"
        onSubmit={(e) => {
          e.preventDefault();
          if (paths.length > 0) void check.run(true);
        }}
      >
        <label>
          <span>Files or folders, one per line (folders are searched for .env files)</span>
          <textarea
            value={pathsText}
            onChange={(e) => setPathsText(e.target.value)}
            rows={3}
            spellCheck={false}
            placeholder="/srv/app/.env"
          />
        </label>
        {info.features.pickPaths ? (
          <div className="action-row">
            <button type="button" onClick={() => void pick.run('files')}>
              Choose files…
            </button>
            <button type="button" onClick={() => void pick.run('folder')}>
              Choose folder…
            </button>
          </div>
        ) : (
          <p className="hint">In the browser there is no file dialog: type or paste full paths on this machine.</p>
        )}
        <ErrorNotice error={pick.error} onDismiss={pick.clearError} />
        <div className="form-grid">
          <label>
            <span>Profile</span>
            <select value={profile} onChange={(e) => setProfile(e.target.value)}>
              <option value="">None (schema or .env.example only)</option>
              {profiles.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Schema file (optional, keyturn-env.json)</span>
            <input value={schemaFile} onChange={(e) => setSchemaFile(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <label>
            <span>Example file to compare (optional)</span>
            <input
              value={example}
              onChange={(e) => setExample(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder=".env.example"
            />
          </label>
        </div>
        {selected ? (
          <p className="hint">
            {selected.summary} Source: {selected.source.title}.
          </p>
        ) : null}
        <ErrorNotice error={loadProfiles.error} onDismiss={loadProfiles.clearError} />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={paths.length === 0 || check.pending || checkJob.active}>
            {check.pending || checkJob.active ? 'Checking…' : 'Check'}
          </button>
        </div>
      </form>
      <ErrorNotice error={check.error} onDismiss={check.clearError} />
      {jobId && checkJob.job?.state !== 'done' ? <JobProgress handle={checkJob} /> : null}
      {report ? (
        <section className="screen" aria-label="Results" data-testid="env-report">
          <p
            className={`notice ${report.summary.errors > 0 ? 'notice-error' : report.summary.warnings > 0 ? 'notice-warn' : 'notice-ok'}`}
            role="status"
          >
            {report.summary.errors} {report.summary.errors === 1 ? 'error' : 'errors'}, {report.summary.warnings}{' '}
            {report.summary.warnings === 1 ? 'warning' : 'warnings'}, {report.summary.infos} info in {report.files.length}{' '}
            {report.files.length === 1 ? 'file' : 'files'}.
          </p>
          {report.files.map((file) => (
            <FileReport key={file.path} file={file} fixOptions={options()} onGenerate={onGenerate} onFixed={() => void check.run(false)} />
          ))}
        </section>
      ) : null}
    </div>
  );
}
