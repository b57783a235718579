// A freshly generated key: its safe metadata and fingerprint, and the explicit actions that use its value.
import { useCallback, useState } from 'react';
import type { OutputFormat } from '../../../../shared/domain/generated-key.js';
import type { DraftKey, ExportResult, StoredKey } from '../../../../shared/ipc/features/generate.js';
import { api } from '../../api/client.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { SecretValue } from '../../components/secret-value.js';
import { useAsyncAction } from '../../lib/use-async.js';

const FORMAT_LABELS: Record<OutputFormat, string> = {
  text: 'Plain value',
  json: 'JSON with metadata',
  env: 'Env line (NAME=value)',
  pem: 'PEM',
  jwk: 'JWK',
  jwks: 'JWKS (public keys)',
};

export function DraftPanel({
  draft,
  name,
  envVar,
  onStored,
}: {
  draft: DraftKey;
  name: string;
  envVar: string;
  onStored: (s: StoredKey) => void;
}) {
  const [stored, setStored] = useState<StoredKey | undefined>(undefined);
  const [addVersion, setAddVersion] = useState(false);
  const exportable = draft.formats.filter((f) => f !== 'text');
  const [format, setFormat] = useState<OutputFormat>(exportable.includes('env') ? 'env' : (exportable[0] ?? 'text'));
  const [exported, setExported] = useState<ExportResult | undefined>(undefined);
  const hideExport = useCallback(() => setExported(undefined), []);

  const store = useAsyncAction(async () => {
    const result = await api.storeDraft({
      draftId: draft.draftId,
      name,
      ...(envVar ? { envVar } : {}),
      ...(addVersion ? { addVersion } : {}),
    });
    setStored(result);
    onStored(result);
  });
  const doExport = useAsyncAction(async () => {
    setExported(await api.exportDraft({ draftId: draft.draftId, format, ...(envVar ? { envVar } : {}) }));
  });
  const { metadata } = draft;

  return (
    <section className="card" aria-labelledby="draft-title" data-testid="draft-panel">
      <h2 id="draft-title">Generated {metadata.kind} key</h2>
      <dl className="meta">
        <dt>Algorithm</dt>
        <dd>{metadata.alg ?? '—'}</dd>
        <dt>Size</dt>
        <dd>{metadata.size} bits</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code data-testid="draft-fingerprint">{metadata.fingerprint}</code>
        </dd>
        <dt>Created</dt>
        <dd>{new Date(metadata.created).toLocaleString()}</dd>
        <dt>Stored</dt>
        <dd data-testid="draft-stored">{stored ? `in the keychain as ${stored.record.name} v${stored.version}` : 'not yet'}</dd>
      </dl>

      <div className="action-row">
        <button
          type="button"
          className="button-primary"
          onClick={() => void store.run()}
          disabled={!name || Boolean(stored) || store.pending}
        >
          {stored
            ? 'Stored'
            : store.pending
              ? 'Storing…'
              : name
                ? `Store in keychain as ${name}`
                : 'Store in keychain (enter a name above)'}
        </button>
        <label className="inline-check">
          <input type="checkbox" checked={addVersion} onChange={(e) => setAddVersion(e.target.checked)} disabled={Boolean(stored)} />
          <span>Add as a new version if the name exists</span>
        </label>
      </div>
      <ErrorNotice error={store.error} onDismiss={store.clearError} />

      <div className="action-row">
        <CopyButton copy={() => api.copyDraft({ draftId: draft.draftId })} label="Copy value" />
        {exportable.length > 0 ? (
          <>
            <label className="inline-field">
              <span>Export as</span>
              <select value={format} onChange={(e) => setFormat(e.target.value as OutputFormat)}>
                {exportable.map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f]}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => void doExport.run()} disabled={doExport.pending}>
              Show export
            </button>
          </>
        ) : null}
      </div>
      <ErrorNotice error={doExport.error} onDismiss={doExport.clearError} />
      {exported ? (
        exported.secret ? (
          <SecretValue value={exported.text} label={`Export (${FORMAT_LABELS[format]}) — contains the secret`} onHide={hideExport} />
        ) : (
          <label className="secret-label">
            <span>Export ({FORMAT_LABELS[format]}) — public material only</span>
            <textarea readOnly className="secret-text" value={exported.text} rows={8} spellCheck={false} />
          </label>
        )
      ) : null}
    </section>
  );
}
