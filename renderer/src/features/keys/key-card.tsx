// One key in the inventory: its versions with status, fingerprint and date, and the actions on it.
import { useCallback, useState } from 'react';
import type { KeyRecord, KeyVersionRecord } from '../../../../shared/domain/inventory.js';
import { api } from '../../api/client.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { SecretValue } from '../../components/secret-value.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { PushPanel } from '../push/push-panel.js';
import { PushStatusBadge, type PushStatusView } from '../push/push-status-badge.js';
import { DeleteKeyForm } from './delete-key-form.js';

interface Revealed {
  version: number;
  value: string;
}

interface VersionProps {
  record: KeyRecord;
  version: KeyVersionRecord;
  onReveal: (v: number) => void;
  onRetire: (v: number) => void;
}

const COLUMNS = 6;

/**
 * A version's row, and under it, while asked for, the retire confirmation in a row of its own: the buttons of the
 * actions cell never change width, so the table does not reflow under the pointer.
 */
function VersionRow({ record, version, onReveal, onRetire }: VersionProps) {
  const [confirmRetire, setConfirmRetire] = useState(false);
  const retirable = version.version !== record.current && version.status !== 'retired';
  const confirmId = `retire-${record.name}-v${version.version}`;
  return (
    <>
      <tr data-testid={`version-${version.version}`}>
        <th scope="row">v{version.version}</th>
        <td>
          <span className={`badge badge-${version.status}`}>{version.status}</span>
        </td>
        <td>
          <code>{version.fingerprint}</code>
          {version.publicFingerprint && version.publicFingerprint !== version.fingerprint ? (
            <span className="fingerprint-public" title="The same key gives this fingerprint on any machine">
              public <code>{version.publicFingerprint}</code>
            </span>
          ) : null}
        </td>
        <td>{version.size} bits</td>
        <td>
          <time dateTime={version.created}>{new Date(version.created).toLocaleString()}</time>
        </td>
        <td className="cell-actions">
          {version.status === 'retired' ? (
            <span className="hint">Deleted from the keychain</span>
          ) : (
            <>
              <button
                type="button"
                className="button-small"
                onClick={() => onReveal(version.version)}
                aria-label={`Reveal ${record.name} v${version.version}`}
              >
                Reveal
              </button>
              <CopyButton copy={() => api.copyKey({ name: record.name, version: version.version })} label="Copy" small />
              {retirable ? (
                <button
                  type="button"
                  className="button-small"
                  aria-expanded={confirmRetire}
                  aria-controls={confirmId}
                  onClick={() => setConfirmRetire(true)}
                >
                  Retire…
                </button>
              ) : null}
            </>
          )}
        </td>
      </tr>
      {retirable && confirmRetire ? (
        <tr className="confirm-row" id={confirmId} data-testid={`version-${version.version}-confirm`}>
          <td colSpan={COLUMNS}>
            <div className="confirm-inline">
              <span>Retiring deletes v{version.version} from the keychain for good; its metadata stays in the inventory.</span>
              <button type="button" className="button-small button-danger" onClick={() => onRetire(version.version)}>
                Delete v{version.version} from keychain
              </button>
              <button type="button" className="button-small" onClick={() => setConfirmRetire(false)}>
                Keep
              </button>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function KeyCard({
  record,
  onChanged,
  pushStatus,
}: {
  record: KeyRecord;
  onChanged: (message?: string) => void;
  pushStatus: PushStatusView;
}) {
  const [revealed, setRevealed] = useState<Revealed | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const [pushing, setPushing] = useState(() => sessionStorage.getItem(`keyturn.push.${record.name}`) !== null);
  const pushed = useCallback(() => onChanged(), [onChanged]);
  const hide = useCallback(() => setRevealed(undefined), []);

  const reveal = useAsyncAction(async (version: number) => {
    const result = await api.revealKey({ name: record.name, version });
    setRevealed({ version: result.version, value: result.value });
  });
  const rotate = useAsyncAction(async () => {
    const result = await api.rotateKey({ name: record.name });
    onChanged(`Rotated ${record.name}: v${result.version} is now current; older versions are retiring until you retire them.`);
  });
  const retire = useAsyncAction(async (version: number) => {
    await api.retireKeyVersion({ name: record.name, version });
    onChanged(`Retired ${record.name} v${version}: it is deleted from the keychain.`);
  });

  const error = reveal.error ?? rotate.error ?? retire.error;
  const headingId = `key-${record.name}`;
  return (
    <article className="card key-card" aria-labelledby={headingId} data-testid={`key-${record.name}`}>
      <header className="key-card-header">
        <h2 id={headingId}>{record.name}</h2>
        <span className="key-kind">
          {record.kind}
          {record.alg ? ` · ${record.alg}` : ''}
          {record.envVar ? ` · ${record.envVar}` : ''}
        </span>
        {record.tags.length > 0 ? <span className="key-tags">{record.tags.join(', ')}</span> : null}
        <PushStatusBadge record={record} status={pushStatus} />
        <div className="key-card-actions">
          <button type="button" onClick={() => setPushing(true)} disabled={pushing}>
            Push to…
          </button>
          <button type="button" onClick={() => void rotate.run()} disabled={rotate.pending}>
            {rotate.pending ? 'Rotating…' : 'Rotate'}
          </button>
          <button type="button" className="button-danger-outline" onClick={() => setDeleting(true)} disabled={deleting}>
            Delete…
          </button>
        </div>
      </header>
      {record.notes ? <p className="hint">{record.notes}</p> : null}
      <table className="table">
        <caption className="visually-hidden">Versions of {record.name}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Fingerprint</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {[...record.versions]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <VersionRow
                key={v.version}
                record={record}
                version={v}
                onReveal={(n) => void reveal.run(n)}
                onRetire={(n) => void retire.run(n)}
              />
            ))}
        </tbody>
      </table>
      {revealed ? <SecretValue value={revealed.value} label={`${record.name} v${revealed.version}`} onHide={hide} /> : null}
      <ErrorNotice error={error} onDismiss={() => [reveal, rotate, retire].forEach((a) => a.clearError())} />
      {pushing ? <PushPanel record={record} onClose={() => setPushing(false)} onPushed={pushed} /> : null}
      {deleting ? (
        <DeleteKeyForm
          record={record}
          onCancel={() => setDeleting(false)}
          onDeleted={() => onChanged(`Deleted ${record.name} and all its versions.`)}
        />
      ) : null}
    </article>
  );
}
