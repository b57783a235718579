// The keychain port: what the vault needs from an OS keychain, whatever backs it (Secret Service, Keychain, Credential Manager).
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';

export interface Keychain {
  readonly backend: string;
  /**
   * The stored value, or null when the keychain returns nothing. On Linux the adapter checks the keyring first and
   * throws keychain-locked for a locked one; elsewhere null may still mean locked, so callers compare with the inventory.
   */
  get(account: string, signal?: AbortSignal): Promise<string | null>;
  /** Stores the value and returns how many keychain entries hold it (more than one when chunked). */
  set(account: string, value: string, signal?: AbortSignal): Promise<number>;
  /**
   * Whether any entry is stored under this account, whoever stored it: on Linux also one another tool (secret-tool,
   * a script) stored without keytar's schema, which `get` cannot see. Keyturn never writes over such an entry.
   */
  holds(account: string, signal?: AbortSignal): Promise<boolean>;
  /** True when an entry was removed. */
  delete(account: string, signal?: AbortSignal): Promise<boolean>;
  /** Accounts under the service, values dropped at once. */
  list(signal?: AbortSignal): Promise<string[]>;
  status(signal?: AbortSignal): Promise<KeychainStatus>;
}
