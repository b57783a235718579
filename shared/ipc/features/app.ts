// The app feature's channels: what the host is and can do, the keychain's state, and the native file dialog.
import type { KeychainStatus } from '../../domain/keychain-status.js';
import type { EmptyRequest } from './empty-request.js';

export interface AppInfo {
  host: 'electron' | 'web';
  version: string;
  features: {
    /** A native file dialog exists (Electron); the web host takes typed paths instead. */
    pickPaths: boolean;
    /** Copies go to the OS clipboard from the main process, which clears them itself. */
    hostClipboard: boolean;
  };
}

export type AppContract = {
  appInfo: (req: EmptyRequest) => Promise<AppInfo>;
  keychainStatus: (req: EmptyRequest) => Promise<KeychainStatus>;
  pickPaths: (req: { mode: 'files' | 'folder' }) => Promise<{ paths: string[] }>;
};

export const APP_CHANNELS = ['appInfo', 'keychainStatus', 'pickPaths'] as const satisfies readonly (keyof AppContract)[];
