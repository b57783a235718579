// The keychain port: what the vault needs from an OS keychain, whatever backs it (Secret Service, Keychain, Credential Manager).
import type { ErrorCode } from '../../../shared/domain/errors.js';

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

export interface Keychain {
  readonly backend: string;
  /**
   * The stored value, or null when the keychain returns nothing. On Linux the adapter checks the keyring first and
   * throws keychain-locked for a locked one; elsewhere null may still mean locked, so callers compare with the inventory.
   */
  get(account: string, signal?: AbortSignal): Promise<string | null>;
  /** Stores the value and returns how many keychain entries hold it (more than one when chunked). */
  set(account: string, value: string, signal?: AbortSignal): Promise<number>;
  /** True when an entry was removed. */
  delete(account: string, signal?: AbortSignal): Promise<boolean>;
  /** Accounts under the service, values dropped at once. */
  list(signal?: AbortSignal): Promise<string[]>;
  status(signal?: AbortSignal): Promise<KeychainStatus>;
}
