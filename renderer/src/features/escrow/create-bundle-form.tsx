// Escrow, step one: pick keys from the keychain, name the custodians (optionally with their age keys) and k-of-n,
// choose a folder; the host writes the bundle and one sheet per custodian there. The page sees paths and fingerprints.
import { useEffect, useState } from 'react';
import type { EscrowCreateResult } from '../../../../shared/domain/escrow.js';
import type { KeyRecord } from '../../../../shared/domain/inventory.js';
import type { AppInfo } from '../../../../shared/ipc/features/app.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';

interface CustodianRow {
  name: string;
  recipient: string;
}

const FIRST_CUSTODIANS: CustodianRow[] = ['', '', ''].map(() => ({ name: '', recipient: '' }));

export function CreateBundleForm({ info, onCreated }: { info: AppInfo; onCreated: (bundle: string) => void }) {
  const [keys, setKeys] = useState<KeyRecord[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [custodians, setCustodians] = useState<CustodianRow[]>(FIRST_CUSTODIANS);
  const [threshold, setThreshold] = useState(2);
  const [outDir, setOutDir] = useState('');
  const [result, setResult] = useState<EscrowCreateResult | undefined>(undefined);

  const load = useAsyncAction(async () => setKeys(await api.listKeys({})));
  const { run: loadKeys } = load;
  useEffect(() => {
    void loadKeys();
  }, [loadKeys]);

  const pick = useAsyncAction(async () => {
    const { paths } = await api.pickPaths({ mode: 'folder' });
    if (paths[0]) setOutDir(paths[0]);
  });

  const create = useAsyncAction(async () => {
    setResult(undefined);
    const created = await api.escrowCreate({
      keys: chosen.map((name) => ({ name })),
      threshold,
      custodians: custodians.map((c) => ({ name: c.name.trim(), ...(c.recipient.trim() ? { recipient: c.recipient.trim() } : {}) })),
      outDir: outDir.trim(),
    });
    setResult(created);
    onCreated(created.manifest);
  });

  const n = custodians.length;
  const setRow = (i: number, patch: Partial<CustodianRow>) =>
    setCustodians((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const ready = chosen.length > 0 && custodians.every((c) => c.name.trim()) && outDir.trim() && threshold <= n;

  return (
    <section className="card" aria-label="Create an escrow bundle">
      <h2>Create a bundle</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void create.run();
        }}
      >
        <fieldset>
          <legend>Keys to escrow (their current versions)</legend>
          {keys.length === 0 ? <p className="empty">No keys in the keychain yet.</p> : null}
          {keys.map((k) => (
            <label key={k.name} className="inline-check">
              <input
                type="checkbox"
                checked={chosen.includes(k.name)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, k.name] : c.filter((x) => x !== k.name)))}
              />
              <span>
                {k.name}{' '}
                <span className="meta">
                  v{k.current}, {k.kind}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Custodians: one share each</legend>
          {custodians.map((c, i) => (
            <div className="param-row" key={i} data-testid="custodian-row">
              <label>
                <span>Custodian {i + 1}</span>
                <input value={c.name} onChange={(e) => setRow(i, { name: e.target.value })} autoComplete="off" placeholder="name" />
              </label>
              <label>
                <span>age recipient (optional: encrypts the share to them)</span>
                <input
                  value={c.recipient}
                  onChange={(e) => setRow(i, { recipient: e.target.value })}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="age1…"
                />
              </label>
              {n > 2 ? (
                <button type="button" className="button-link" onClick={() => setCustodians((rows) => rows.filter((_, j) => j !== i))}>
                  Remove custodian {i + 1}
                </button>
              ) : null}
            </div>
          ))}
          {n < 20 ? (
            <button type="button" onClick={() => setCustodians((rows) => [...rows, { name: '', recipient: '' }])}>
              Add custodian
            </button>
          ) : null}
        </fieldset>
        <div className="form-grid">
          <label>
            <span>Shares needed to restore (k of {n})</span>
            <select value={threshold} onChange={(e) => setThreshold(Number(e.target.value))}>
              {Array.from({ length: n - 1 }, (_, i) => i + 2).map((k) => (
                <option key={k} value={k}>
                  {k} of {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Folder for the bundle and its sheets</span>
            <input value={outDir} onChange={(e) => setOutDir(e.target.value)} spellCheck={false} autoComplete="off" placeholder="escrow" />
          </label>
        </div>
        {info.features.pickPaths ? (
          <div className="action-row">
            <button type="button" onClick={() => void pick.run()}>
              Choose folder…
            </button>
          </div>
        ) : (
          <p className="hint">In the browser there is no folder dialog: type a folder under the one Keyturn was started for.</p>
        )}
        <ErrorNotice error={pick.error ?? load.error} onDismiss={pick.error ? pick.clearError : load.clearError} />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={!ready || create.pending}>
            {create.pending ? 'Creating…' : `Create ${threshold}-of-${n} bundle`}
          </button>
        </div>
      </form>
      <ErrorNotice error={create.error} onDismiss={create.clearError} />
      {result ? <CreatedBundle result={result} /> : null}
    </section>
  );
}

function CreatedBundle({ result }: { result: EscrowCreateResult }) {
  const plain = result.sheets.filter((s) => !s.encrypted).length;
  return (
    <div data-testid="escrow-created">
      <p className="notice notice-ok" role="status">
        Bundle {result.bundleId} created: any {result.set.threshold} of {result.set.shares} custodians restore {result.keys.length} key
        {result.keys.length > 1 ? 's' : ''}.
      </p>
      <dl className="meta">
        <dt>Bundle</dt>
        <dd>
          <code>{result.bundleFile}</code>
        </dd>
        <dt>Manifest</dt>
        <dd>
          <code>{result.manifest}</code>
        </dd>
      </dl>
      <table className="table" aria-label="Keys in the bundle">
        <thead>
          <tr>
            <th>Key</th>
            <th>Kind</th>
            <th>Fingerprint</th>
          </tr>
        </thead>
        <tbody>
          {result.keys.map((k) => (
            <tr key={k.name}>
              <td>
                {k.name}@v{k.version}
              </td>
              <td>{k.kind}</td>
              <td>
                <code>{k.fingerprint}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Share sheets: print each one and hand it to its custodian</h3>
      <ul className="plain-list" aria-label="Share sheets">
        {result.sheets.map((s) => (
          <li key={s.index}>
            {s.index}. {s.custodian}: <code>{s.pdf}</code>
            {s.encrypted ? ` (encrypted to their age key; the share file is ${s.shareFile ?? ''})` : ' (and the same as .txt)'}
          </li>
        ))}
      </ul>
      <p className="hint">
        The sheets were saved in the folder above; open each PDF there and print it. Keyturn never shows a share on screen.
        {plain > 0 ? ` Delete the ${plain} plain sheet${plain > 1 ? 's' : ''} from this machine once printed.` : ''} Then run a drill below.
      </p>
    </div>
  );
}
