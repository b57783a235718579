// The service surface the IPC handlers need, as small structural interfaces: compose() supplies the real services.
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { GeneratedKey, OutputFormat } from '../../../shared/domain/generated-key.js';
import type { KeyRecord } from '../../../shared/domain/inventory.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import type { RevealedKey } from '../services/vault-service.js';
import type { EnvFixResult, EnvReport } from '../../../shared/envcheck/report.js';
import type { EnvProfile } from '../../../shared/envcheck/types.js';
import type { AuditVerification, EnvCheckRequest, EnvFixRequest, GenerateRequest, KeychainStatus } from '../../../shared/ipc/contract.js';

export interface VaultPort {
  status(signal?: AbortSignal): Promise<KeychainStatus>;
  list(): Promise<KeyRecord[]>;
  store(
    input: { name: string; key: GeneratedKey; envVar?: string; tags?: string[]; notes?: string; addVersion?: boolean },
    signal?: AbortSignal,
  ): Promise<{ record: KeyRecord; version: number }>;
  reveal(ref: KeyRef, options: { reason: 'reveal' | 'copy' | 'export'; signal?: AbortSignal | undefined }): Promise<RevealedKey>;
  rotate(name: string, signal?: AbortSignal): Promise<{ record: KeyRecord; version: number }>;
  retire(name: string, version: number, confirm: boolean, signal?: AbortSignal): Promise<KeyRecord>;
  delete(name: string, confirm: boolean, signal?: AbortSignal): Promise<void>;
}

export interface AuditPort {
  list(limit?: number): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerification>;
}

export interface EnvCheckPort {
  profiles(): EnvProfile[];
  check(input: EnvCheckRequest): Promise<EnvReport>;
  fix(input: EnvFixRequest): Promise<EnvFixResult>;
}

export interface KeyFactoryPort {
  generate(opts: GenerateRequest): Promise<GeneratedKey>;
  render(key: GeneratedKey, format: OutputFormat, opts?: { envVar?: string }): Promise<string>;
}

/**
 * Puts a secret on the OS clipboard and clears it later if it is still ours (Electron main process only). Resolves once
 * the clipboard holds it: Electron's clipboard is asynchronous since Electron 44.
 */
export interface SecretClipboard {
  writeSecret(value: string, clearAfterMs: number): Promise<void>;
}

/** What differs between the two hosts; everything else is the same handler code. */
export interface HostAdapters {
  kind: 'electron' | 'web';
  version: string;
  clipboard?: SecretClipboard;
  pickPaths?: (mode: 'files' | 'folder') => Promise<string[]>;
}

export interface HandlerDeps {
  vault: VaultPort;
  audit: AuditPort;
  envcheck?: EnvCheckPort;
  keys: KeyFactoryPort;
  host: HostAdapters;
}
