// The keychain adapter over keytar (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows):
// every call bounded by a signal, every failure turned into a stable code by asking the keychain what state it is in.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { abortable, abortReason } from '../lib/deadline.js';
import { KEYCHAIN_SENTENCES, classifyKeychainMessage, keychainError, shortOsText, cancelledError } from './keychain-errors.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';
import type { Keychain } from './keychain.js';
import { probeSecretService, secretServiceHasItem } from './secret-service-probe.js';

export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface KeytarKeychainOptions {
  service: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  loadKeytar?: () => Promise<KeytarApi>;
}

const STATUS_ACCOUNT = '.keyturn-status-probe';

async function loadKeytarModule(): Promise<KeytarApi> {
  const mod = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return mod.default ?? mod;
}

export function backendFor(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macos-keychain';
  if (platform === 'win32') return 'windows-credential-manager';
  return 'secret-service';
}

export class KeytarKeychain implements Keychain {
  readonly backend: string;
  private readonly service: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly linux: boolean;
  private readonly load: () => Promise<KeytarApi>;
  private keytar: Promise<KeytarApi> | undefined;

  constructor(options: KeytarKeychainOptions) {
    const platform = options.platform ?? process.platform;
    this.service = options.service;
    this.env = options.env ?? process.env;
    this.linux = platform !== 'darwin' && platform !== 'win32';
    this.backend = backendFor(platform);
    this.load = options.loadKeytar ?? loadKeytarModule;
  }

  get(account: string, signal?: AbortSignal): Promise<string | null> {
    return this.run((k) => k.getPassword(this.service, account), signal);
  }

  async holds(account: string, signal?: AbortSignal): Promise<boolean> {
    if ((await this.get(account, signal)) !== null) return true;
    if (!this.linux) return false;
    // get() checked that the keyring is open; now the items another tool stored without keytar's schema.
    return (await secretServiceHasItem({ service: this.service, account }, this.env, signal)) === true;
  }

  async set(account: string, value: string, signal?: AbortSignal): Promise<number> {
    // keytar hands values to C strings: a NUL would silently cut the stored value short.
    if (value.includes('\0'))
      throw new KeyturnError(
        'invalid-input',
        'The value contains a NUL character, which the keychain would cut off; store it encoded (for example base64).',
      );
    await this.run((k) => k.setPassword(this.service, account, value), signal);
    return 1;
  }

  delete(account: string, signal?: AbortSignal): Promise<boolean> {
    return this.run((k) => k.deletePassword(this.service, account), signal);
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    // On Linux run() first checks the keyring is open: libsecret's findCredentials crashes the process on a locked one.
    const found = await this.run((k) => k.findCredentials(this.service), signal);
    return found.map((c) => c.account).sort();
  }

  async status(signal?: AbortSignal): Promise<KeychainStatus> {
    if (this.linux) return probeSecretService(this.env, signal);
    try {
      await this.run((k) => k.getPassword(this.service, STATUS_ACCOUNT), signal, false);
      return { state: 'ok', message: 'The OS keychain answered.', backend: this.backend };
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal, cancelledError);
      const code =
        error instanceof KeyturnError && error.code in KEYCHAIN_SENTENCES
          ? (error.code as keyof typeof KEYCHAIN_SENTENCES)
          : 'keychain-unavailable';
      return {
        state: code === 'keychain-locked' ? 'locked' : 'unavailable',
        code,
        message: error instanceof KeyturnError ? error.message : KEYCHAIN_SENTENCES[code],
        backend: this.backend,
      };
    }
  }

  private async requireOk(signal?: AbortSignal): Promise<void> {
    const status = await this.status(signal);
    if (status.state !== 'ok') throw new KeyturnError(status.code ?? 'keychain-unavailable', status.message);
  }

  private async api(): Promise<KeytarApi> {
    this.keytar ??= this.load();
    try {
      return await this.keytar;
    } catch (error) {
      this.keytar = undefined;
      throw keychainError('keychain-unavailable', `keytar could not be loaded: ${shortOsText(error)}`);
    }
  }

  private async run<T>(call: (k: KeytarApi) => Promise<T>, signal?: AbortSignal, diagnose = true): Promise<T> {
    if (signal?.aborted) throw abortReason(signal, cancelledError);
    // On Linux, ask the Secret Service first, over a connection we can close. A libsecret call to a service that does
    // not answer blocks a libuv worker thread that even process.exit() waits for, and on a locked keyring keytar reads
    // return null as if the key were absent; neither may happen, so libsecret is only called on an open keyring.
    if (this.linux && diagnose) await this.requireOk(signal);
    const keytar = await this.api();
    try {
      return await abortable(call(keytar), signal, cancelledError);
    } catch (error) {
      if (error instanceof KeyturnError) throw error;
      throw await this.explain(error, signal, diagnose);
    }
  }

  /** Turn a raw keytar/libsecret error into a coded one, asking the Secret Service for its state where we can. */
  private async explain(error: unknown, signal: AbortSignal | undefined, diagnose: boolean): Promise<KeyturnError> {
    if (this.linux && diagnose) {
      const status = await probeSecretService(this.env, signal);
      if (status.state !== 'ok' && status.code) return new KeyturnError(status.code, status.message);
    }
    const code = classifyKeychainMessage(shortOsText(error));
    return keychainError(code, code === 'keychain-unavailable' ? shortOsText(error) : undefined);
  }
}
