// Whether the OS keychain can be used now, and what to do if not: the vault, the CLI and the UI all show this one shape.
import type { ErrorCode } from './errors.js';

export type KeychainState = 'ok' | 'locked' | 'unavailable';

export interface KeychainStatus {
  state: KeychainState;
  /** Set when state is not ok: the code a failed call would carry. */
  code?: ErrorCode;
  /** What the user should know or do, never a secret. */
  message: string;
  /** Which keychain answered, e.g. "secret-service", "macos-keychain", "windows-credential-manager", "memory". */
  backend: string;
}
