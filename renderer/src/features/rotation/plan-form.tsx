// "Plan rotation": the keys, the application's .env files, the database a Fernet key protects, how the app restarts.
// Keyturn writes the plan from these (and the inventory); the host confines every path to what it allows.
import { useState } from 'react';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import type { EnvProfile } from '../../../../shared/envcheck/types.js';
import type { PlanRotationRequest } from '../../../../shared/ipc/features/rotation.js';
import type { PlanStatus } from '../../../../shared/rotation/progress.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** `users: email_enc, phone_enc` per line; `(pk id)` at the end for a table without a primary key. */
export function parseTables(text: string): { tables: { table: string; columns: string[]; pk?: string }[]; problem?: string } {
  const tables: { table: string; columns: string[]; pk?: string }[] = [];
  for (const [i, line] of lines(text).entries()) {
    const m = /^([^:]+):\s*(.+?)\s*(?:\(pk\s+([^)\s]+)\))?$/.exec(line);
    const columns = m?.[2]
      ?.split(',')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    if (!m || !columns || columns.length === 0)
      return { tables, problem: `Line ${i + 1}: write a table and its Fernet columns as "users: email_enc, phone_enc".` };
    tables.push({ table: m[1]!.trim(), columns, ...(m[3] ? { pk: m[3] } : {}) });
  }
  return { tables };
}

export function PlanForm({
  keys,
  initialKey,
  profiles,
  onPlanned,
  onCancel,
}: {
  keys: KeyRecord[];
  initialKey: string;
  profiles: EnvProfile[];
  onPlanned: (status: PlanStatus) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState<string[]>([initialKey]);
  const [envFiles, setEnvFiles] = useState('');
  const [profile, setProfile] = useState('');
  const [urlVar, setUrlVar] = useState('DATABASE_URL');
  const [tablesText, setTablesText] = useState('');
  const [overlap, setOverlap] = useState('');
  const [restart, setRestart] = useState('');
  const [health, setHealth] = useState('');
  const [backupDir, setBackupDir] = useState('');
  const fernet = keys.some((k) => chosen.includes(k.name) && k.kind === 'fernet');
  const parsed = parseTables(tablesText);

  const plan = useAsyncAction(async () => {
    const request: PlanRotationRequest = { keys: chosen, envFiles: lines(envFiles) };
    if (profile) request.profile = profile;
    if (fernet && parsed.tables.length > 0) request.database = { urlVar: urlVar.trim(), tables: parsed.tables };
    if (overlap.trim()) request.overlap = overlap.trim();
    if (restart.trim()) request.restart = restart.trim();
    if (health.trim()) request.health = health.trim();
    if (backupDir.trim()) request.backupDir = backupDir.trim();
    onPlanned(await api.planRotation(request));
  });

  const toggle = (name: string, on: boolean) => setChosen((c) => (on ? [...c, name] : c.filter((n) => n !== name)));
  return (
    <form
      className="card"
      aria-label="Plan rotation"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen.length > 0 && !parsed.problem) void plan.run();
      }}
    >
      <h2>Plan rotation</h2>
      <fieldset className="key-choice">
        <legend>Keys to rotate</legend>
        {keys.map((k) => (
          <label key={k.name} className="inline-check">
            <input type="checkbox" checked={chosen.includes(k.name)} onChange={(e) => toggle(k.name, e.target.checked)} />
            <span>
              {k.name} <span className="hint">({k.kind})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <label className="form-wide">
          <span>The application's .env files, one per line (token lifetimes, the files backed up and written)</span>
          <textarea
            value={envFiles}
            onChange={(e) => setEnvFiles(e.target.value)}
            rows={2}
            spellCheck={false}
            placeholder="/srv/app/.env"
          />
        </label>
        <label>
          <span>Profile (optional)</span>
          <select value={profile} onChange={(e) => setProfile(e.target.value)}>
            <option value="">None</option>
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Overlap (optional: 7d, 36h, 0 for none)</span>
          <input
            value={overlap}
            onChange={(e) => setOverlap(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            placeholder="from token lifetimes"
          />
        </label>
      </div>
      {fernet ? (
        <fieldset className="form-grid">
          <legend>Database encrypted with the Fernet key</legend>
          <label>
            <span>Variable holding its URL</span>
            <input value={urlVar} onChange={(e) => setUrlVar(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <label>
            <span>Backup folder for the dump (default: backups beside the .env file)</span>
            <input value={backupDir} onChange={(e) => setBackupDir(e.target.value)} spellCheck={false} autoComplete="off" />
          </label>
          <label className="form-wide">
            <span>Tables and their Fernet columns, one table per line</span>
            <textarea
              value={tablesText}
              onChange={(e) => setTablesText(e.target.value)}
              rows={2}
              spellCheck={false}
              placeholder="users: email_enc, phone_enc"
              aria-invalid={parsed.problem ? true : undefined}
            />
          </label>
          {parsed.problem ? <p className="field-error">{parsed.problem}</p> : null}
        </fieldset>
      ) : null}
      <div className="form-grid">
        <label>
          <span>How the application restarts (optional)</span>
          <input
            value={restart}
            onChange={(e) => setRestart(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            placeholder="docker compose up -d api"
          />
        </label>
        <label>
          <span>Health check command (optional)</span>
          <input
            value={health}
            onChange={(e) => setHealth(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            placeholder="curl -fsS http://localhost:8000/health"
          />
        </label>
      </div>
      <ErrorNotice error={plan.error} onDismiss={plan.clearError} />
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={chosen.length === 0 || plan.pending || parsed.problem !== undefined}>
          {plan.pending ? 'Writing the plan…' : 'Write the plan'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
