// An in-memory keychain for unit tests of the services only (the real adapter is tested against gnome-keyring).
// It can act out the states a real keychain has: locked (reads return null, as libsecret does), unavailable, stalled.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { abortReason } from '../lib/deadline.js';
import { KEYCHAIN_SENTENCES, keychainError, type KeychainFailureCode, cancelledError } from './keychain-errors.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';
import type { Keychain } from './keychain.js';

export type MemoryKeychainMode = 'ok' | 'locked' | 'stalled' | Exclude<KeychainFailureCode, 'keychain-locked'>;

export class MemoryKeychain implements Keychain {
  readonly backend = 'memory';
  readonly entries = new Map<string, string>();
  mode: MemoryKeychainMode = 'ok';
  /** Largest value one entry takes, like Windows' 2,560-byte limit; undefined for no limit. */
  maxEntryBytes: number | undefined;
  calls = 0;

  async get(account: string, signal?: AbortSignal): Promise<string | null> {
    await this.gate(signal, 'read');
    return this.mode === 'locked' ? null : (this.entries.get(account) ?? null);
  }

  async holds(account: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.get(account, signal)) !== null;
  }

  async set(account: string, value: string, signal?: AbortSignal): Promise<number> {
    await this.gate(signal, 'write');
    if (this.maxEntryBytes !== undefined && Buffer.byteLength(value, 'utf8') > this.maxEntryBytes) {
      throw new KeyturnError('value-too-large', `The entry is larger than ${this.maxEntryBytes} bytes.`);
    }
    this.entries.set(account, value);
    return 1;
  }

  async delete(account: string, signal?: AbortSignal): Promise<boolean> {
    await this.gate(signal, 'read');
    if (this.mode === 'locked') return false;
    return this.entries.delete(account);
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    await this.gate(signal, 'write');
    return [...this.entries.keys()].sort();
  }

  async status(signal?: AbortSignal): Promise<KeychainStatus> {
    if (this.mode === 'stalled') await this.gate(signal, 'read');
    if (this.mode === 'ok') return { state: 'ok', message: 'memory keychain', backend: this.backend };
    const code: KeychainFailureCode = this.mode === 'locked' ? 'keychain-locked' : (this.mode as KeychainFailureCode);
    return { state: this.mode === 'locked' ? 'locked' : 'unavailable', code, message: KEYCHAIN_SENTENCES[code], backend: this.backend };
  }

  /** Reads on a locked keyring quietly return nothing; writes fail, as libsecret's do. */
  private async gate(signal: AbortSignal | undefined, kind: 'read' | 'write'): Promise<void> {
    this.calls += 1;
    if (signal?.aborted) throw abortReason(signal, cancelledError);
    if (this.mode === 'stalled') {
      await new Promise<never>((_resolve, reject) => {
        if (!signal) return;
        signal.addEventListener('abort', () => reject(abortReason(signal, cancelledError)), { once: true });
      });
    }
    const mode = this.mode;
    if (mode === 'ok' || mode === 'stalled') return;
    if (mode === 'locked') {
      if (kind === 'write') throw keychainError('keychain-locked');
      return;
    }
    throw keychainError(mode);
  }
}
