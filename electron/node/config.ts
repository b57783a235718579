// Where Keyturn keeps its files and which keychain service it uses, read once from the environment.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export interface AppConfig {
  /** Folder for inventory.json and audit.log (KEYTURN_HOME). */
  home: string;
  /** Keychain service name (KEYTURN_KEYCHAIN_SERVICE, default "keyturn"). */
  keychainService: string;
  /** Longest a keychain call may wait before it is reported as a timeout, in ms (KEYTURN_KEYCHAIN_TIMEOUT_MS). */
  keychainTimeoutMs: number;
}

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  const os = platform();
  if (os === 'darwin') return join(homedir(), 'Library', 'Application Support', 'keyturn');
  if (os === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'keyturn');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'keyturn');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const timeout = Number(env.KEYTURN_KEYCHAIN_TIMEOUT_MS ?? '8000');
  return {
    home: env.KEYTURN_HOME || defaultHome(env),
    keychainService: env.KEYTURN_KEYCHAIN_SERVICE || 'keyturn',
    keychainTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 8000,
  };
}
