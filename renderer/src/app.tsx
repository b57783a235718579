// The app shell: skip link, navigation to each capability, the keychain indicator, and the current screen.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo } from '../../shared/ipc/features/app.js';
import { toIpcError, type IpcError } from '../../shared/ipc/result.js';
import { ErrorNotice } from './components/error-notice.js';
import { KeychainStatusIndicator } from './components/keychain-status.js';
import { ReleaseCodeDialog } from './components/release-code-dialog.js';
import { AuditScreen } from './features/audit/audit-screen.js';
import { EnvCheckScreen } from './features/envcheck/envcheck-screen.js';
import { EscrowScreen } from './features/escrow/escrow-screen.js';
import { GenerateScreen, type GeneratePrefill } from './features/generate/generate-screen.js';
import { KeysScreen } from './features/keys/keys-screen.js';
import { ReencryptScreen } from './features/reencrypt/reencrypt-screen.js';
import { TargetsScreen } from './features/targets/targets-screen.js';
import { RotationScreen } from './features/rotation/rotation-screen.js';

type Screen = 'generate' | 'keys' | 'rotation' | 'targets' | 'envcheck' | 'reencrypt' | 'escrow' | 'audit';

const NAV: { id: Screen; label: string }[] = [
  { id: 'generate', label: 'Generate' },
  { id: 'keys', label: 'Keys' },
  { id: 'rotation', label: 'Rotation' },
  { id: 'targets', label: 'Targets' },
  { id: 'envcheck', label: 'Check .env' },
  { id: 'reencrypt', label: 'Re-encrypt' },
  { id: 'escrow', label: 'Escrow' },
  { id: 'audit', label: 'Audit' },
];

export function App({ appInfo }: { appInfo: Promise<AppInfo> }) {
  const [screen, setScreen] = useState<Screen>('generate');
  const [info, setInfo] = useState<AppInfo | undefined>(undefined);
  const [infoError, setInfoError] = useState<IpcError | undefined>(undefined);
  const [statusRefresh, setStatusRefresh] = useState(0);
  const [prefill, setPrefill] = useState<GeneratePrefill | undefined>(undefined);
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    appInfo.then(setInfo, (error: unknown) => setInfoError(toIpcError(error)));
  }, [appInfo]);

  // Tells tests and the UI bench that the first screen is interactive (its data loaded, handlers attached).
  useEffect(() => {
    if (info || infoError) {
      document.documentElement.dataset.ready = 'true';
      performance.mark('keyturn-ready');
    }
  }, [info, infoError]);

  const go = useCallback((next: Screen) => {
    setScreen(next);
    // Move focus to the new screen's heading so keyboard and screen-reader users land where the content changed.
    requestAnimationFrame(() => main.current?.querySelector<HTMLElement>('h1')?.focus());
  }, []);

  const refreshStatus = useCallback(() => setStatusRefresh((n) => n + 1), []);
  const generateFor = useCallback(
    (p: GeneratePrefill) => {
      setPrefill(p);
      go('generate');
    },
    [go],
  );

  return (
    <div className="shell" data-host={info?.host ?? 'unknown'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-sticky">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              K
            </span>
            <span>Keyturn</span>
          </div>
          <nav aria-label="Main">
            <ul className="nav-list">
              {NAV.map((n) => (
                <li key={n.id}>
                  <button type="button" className="nav-item" aria-current={screen === n.id ? 'page' : undefined} onClick={() => go(n.id)}>
                    {n.label}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <KeychainStatusIndicator refreshKey={statusRefresh} />
          <p className="sidebar-foot">{info ? `${info.host === 'electron' ? 'Desktop app' : 'Browser session'} · v${info.version}` : ''}</p>
        </div>
      </aside>
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorNotice error={infoError} />
        {screen === 'generate' ? (
          <GenerateScreen
            key={prefill ? `${prefill.name}:${prefill.envVar}` : 'blank'}
            {...(prefill ? { prefill } : {})}
            onStored={refreshStatus}
          />
        ) : null}
        {screen === 'keys' ? <KeysScreen onChanged={refreshStatus} /> : null}
        {screen === 'rotation' ? <RotationScreen /> : null}
        {screen === 'targets' ? <TargetsScreen /> : null}
        {screen === 'envcheck' && info ? <EnvCheckScreen info={info} onGenerate={generateFor} /> : null}
        {screen === 'reencrypt' ? <ReencryptScreen /> : null}
        {screen === 'escrow' && info ? <EscrowScreen info={info} /> : null}
        {screen === 'audit' ? <AuditScreen /> : null}
      </main>
      <ReleaseCodeDialog />
    </div>
  );
}
