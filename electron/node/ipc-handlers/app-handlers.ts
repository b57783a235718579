// Handlers of the app feature: what the host is, the keychain's state, and the native file dialog.
import { APP_VERSION } from '../../../shared/domain/app-version.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { AppContract } from '../../../shared/ipc/features/app.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function appHandlers({ services, host }: HandlerDeps): FeatureHandlers<AppContract> {
  return {
    appInfo: async () => ({
      host: host.kind,
      version: APP_VERSION,
      features: { pickPaths: Boolean(host.pickPaths), hostClipboard: Boolean(host.clipboard) },
    }),
    keychainStatus: (_req, signal) => services.vault.status(signal),
    pickPaths: async (req) => {
      if (!host.pickPaths) throw new KeyturnError('refused', 'There is no file dialog in the browser: type the paths instead.');
      return { paths: await host.pickPaths(req.mode) };
    },
  };
}
