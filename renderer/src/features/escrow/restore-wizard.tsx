// Escrow, step two: open a bundle, hand over shares one at a time (typed or pasted, or a photo or scan of the QR code),
// then run a drill or restore. Each share goes to the host once; the page keeps only its id and what it says about
// itself (index, set, k-of-n), so a checked share is never shown again and results carry fingerprints only.
import { useState } from 'react';
import type { EscrowBundleInfo, EscrowRestoreResult, EscrowVerifyResult } from '../../../../shared/domain/escrow.js';
import type { AppInfo } from '../../../../shared/ipc/features/app.js';
import type { HeldShare } from '../../../../shared/ipc/features/escrow.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAsyncAction } from '../../lib/use-async.js';
import { imageForHost } from './scan-image.js';

export function RestoreWizard({ info, bundleHint }: { info: AppInfo; bundleHint: string }) {
  const [bundlePath, setBundlePath] = useState(bundleHint);
  const [bundle, setBundle] = useState<EscrowBundleInfo | undefined>(undefined);
  const [typed, setTyped] = useState('');
  const [held, setHeld] = useState<HeldShare[]>([]);
  const [outFile, setOutFile] = useState('');
  const [drill, setDrill] = useState<EscrowVerifyResult | undefined>(undefined);
  const [restored, setRestored] = useState<EscrowRestoreResult | undefined>(undefined);

  const reset = async () => {
    if (held.length > 0) await api.escrowDiscardShares({ shareIds: held.map((h) => h.shareId) });
    setHeld([]);
    setDrill(undefined);
    setRestored(undefined);
  };
  const open = useAsyncAction(async (path: string) => {
    await reset();
    setBundle(await api.escrowInspect({ bundle: path }));
  });
  const pick = useAsyncAction(async () => {
    const { paths } = await api.pickPaths({ mode: 'files' });
    if (paths[0]) {
      setBundlePath(paths[0]);
      await open.run(paths[0]);
    }
  });
  const keep = (share: HeldShare) => setHeld((list) => [...list.filter((h) => h.index !== share.index || h.set !== share.set), share]);
  const addTyped = useAsyncAction(async () => {
    keep(await api.escrowAddShare({ kind: 'text', text: typed }));
    // The typed share is in the host now; it is not kept in the page.
    setTyped('');
  });
  const addImages = useAsyncAction(async (files: File[]) => {
    for (const file of files) keep(await api.escrowAddShare({ kind: 'image', name: file.name, base64: await imageForHost(file) }));
  });
  const ids = held.map((h) => h.shareId);
  const runDrill = useAsyncAction(async () => {
    setRestored(undefined);
    setDrill(await api.escrowVerify({ bundle: bundle!.manifest, shareIds: ids }));
  });
  const restore = useAsyncAction(async (to: 'keychain' | 'file') => {
    setDrill(undefined);
    const result = await api.escrowRestore({
      bundle: bundle!.manifest,
      shareIds: ids,
      ...(to === 'keychain' ? { import: true } : { outFile: outFile.trim() }),
    });
    setRestored(result);
    setHeld([]); // the host forgot them after the restore
  });

  const set = bundle?.set;
  const mine = set ? held.filter((h) => h.bundleId === bundle.bundleId && h.set === set.set) : [];
  const missing = set ? Math.max(0, set.threshold - mine.length) : 0;
  const custodianOf = (index: number) => set?.custodians.find((c) => c.index === index)?.name ?? `share ${index}`;
  const busy = runDrill.pending || restore.pending;

  return (
    <section className="card" aria-label="Restore or drill">
      <h2>Restore or run a drill</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (bundlePath.trim()) void open.run(bundlePath.trim());
        }}
      >
        <label>
          <span>Bundle (its manifest escrow-ID.json, one of its .age files, or its folder)</span>
          <input value={bundlePath} onChange={(e) => setBundlePath(e.target.value)} spellCheck={false} autoComplete="off" />
        </label>
        <div className="action-row">
          <button type="submit" disabled={!bundlePath.trim() || open.pending}>
            Open bundle
          </button>
          {info.features.pickPaths ? (
            <button type="button" onClick={() => void pick.run()}>
              Choose bundle…
            </button>
          ) : null}
        </div>
      </form>
      <ErrorNotice error={open.error ?? pick.error} onDismiss={open.error ? open.clearError : pick.clearError} />
      {bundle && set ? (
        <div data-testid="escrow-bundle">
          <p className="meta">
            Bundle {bundle.bundleId}, share set {set.set}: any {set.threshold} of {set.shares} (
            {set.custodians.map((c) => c.name).join(', ')}); versions {bundle.versions.map((v) => `v${v.version}`).join(', ')}.
          </p>
          <form
            aria-label="Add a share"
            onSubmit={(e) => {
              e.preventDefault();
              if (typed.trim()) void addTyped.run();
            }}
          >
            <label>
              <span>Type or paste a share (16 groups; spaces and dashes do not matter)</span>
              <textarea
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                rows={4}
                spellCheck={false}
                autoComplete="off"
                autoCapitalize="characters"
              />
            </label>
            <div className="action-row">
              <button type="submit" disabled={!typed.trim() || addTyped.pending}>
                Add typed share
              </button>
              <label className="inline-field">
                <span>Or a photo or scan of a QR code</span>
                <input
                  type="file"
                  accept="image/png,image/jpeg"
                  multiple
                  onChange={(e) => {
                    const files = [...(e.target.files ?? [])];
                    e.target.value = '';
                    if (files.length > 0) void addImages.run(files);
                  }}
                />
              </label>
            </div>
          </form>
          <ErrorNotice error={addTyped.error ?? addImages.error} onDismiss={addTyped.error ? addTyped.clearError : addImages.clearError} />
          <ul className="plain-list" aria-label="Shares given">
            {held.map((h) => (
              <li key={h.shareId} data-testid="held-share">
                Share {h.index} ({custodianOf(h.index)}), {h.label}
                {h.bundleId !== bundle.bundleId || h.set !== set.set ? (
                  <span className="badge badge-warning">
                    {h.bundleId !== bundle.bundleId ? `belongs to bundle ${h.bundleId}` : `belongs to share set ${h.set}`}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
          <p className={`notice ${missing > 0 ? 'notice-warn' : 'notice-ok'}`} role="status" data-testid="share-count">
            {mine.length} of {set.threshold} shares given{missing > 0 ? `: ${missing} more needed` : ': enough to restore'}.
          </p>
          <div className="form-actions">
            <button type="button" className="button-primary" disabled={ids.length === 0 || busy} onClick={() => void runDrill.run()}>
              {runDrill.pending ? 'Running drill…' : 'Run drill'}
            </button>
            <button type="button" disabled={ids.length === 0 || busy} onClick={() => void restore.run('keychain')}>
              Restore into the keychain
            </button>
          </div>
          <div className="action-row">
            <label className="inline-field">
              <span>Or restore to a new file (mode 0600)</span>
              <input
                value={outFile}
                onChange={(e) => setOutFile(e.target.value)}
                spellCheck={false}
                autoComplete="off"
                placeholder="restored-keys.json"
              />
            </label>
            <button type="button" disabled={ids.length === 0 || !outFile.trim() || busy} onClick={() => void restore.run('file')}>
              Restore to file
            </button>
          </div>
          <ErrorNotice error={runDrill.error ?? restore.error} onDismiss={runDrill.error ? runDrill.clearError : restore.clearError} />
          {drill ? <DrillResult drill={drill} custodianOf={custodianOf} /> : null}
          {restored ? <RestoreResult restored={restored} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function DrillResult({ drill, custodianOf }: { drill: EscrowVerifyResult; custodianOf: (i: number) => string }) {
  return (
    <div data-testid="escrow-drill">
      <p className="notice notice-ok" role="status">
        Drill passed: the shares of {drill.used.map(custodianOf).join(', ')} restore bundle {drill.bundleId}, and every key matches its
        fingerprint. Nothing was imported or shown.
      </p>
      <table className="table" aria-label="Keys checked">
        <thead>
          <tr>
            <th>Version</th>
            <th>Key</th>
            <th>Fingerprint</th>
            <th>Check</th>
          </tr>
        </thead>
        <tbody>
          {drill.versions.flatMap((v) =>
            v.keys.map((k) => (
              <tr key={`${v.version}-${k.name}`}>
                <td>v{v.version}</td>
                <td>
                  {k.name}@v{k.version}
                </td>
                <td>
                  <code>{k.fingerprint}</code>
                </td>
                <td>{k.ok ? 'matches' : 'MISMATCH'}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {drill.rejected.map((r) => (
        <p key={r.label} className="notice notice-warn">
          Set aside {r.label}: {r.reason}
        </p>
      ))}
    </div>
  );
}

function RestoreResult({ restored }: { restored: EscrowRestoreResult }) {
  return (
    <div data-testid="escrow-restored">
      <p className="notice notice-ok" role="status">
        Restored bundle {restored.bundleId} v{restored.version}; every key matched its fingerprint.
        {restored.outFile ? ` The keys are in ${restored.outFile} (mode 0600).` : ''}
      </p>
      <ul className="plain-list">
        {restored.keys.map((k) => (
          <li key={k.name}>
            {k.name}@v{k.version}:{' '}
            {k.outcome === 'imported'
              ? `stored in the keychain as v${k.keychainVersion}`
              : k.outcome === 'already-present'
                ? `already in the keychain as v${k.keychainVersion}`
                : 'written to the file'}
          </li>
        ))}
      </ul>
    </div>
  );
}
