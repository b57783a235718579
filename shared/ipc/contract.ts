// The one IPC contract: channel -> (request) => Promise<response>. Main, preload, web host and renderer derive from it.
import type { AuditEntry, AuditVerification } from '../domain/audit.js';
import type { ErrorCode } from '../domain/errors.js';
import type { KeyMetadata, OutputFormat } from '../domain/generated-key.js';
import type { KeyRecord } from '../domain/inventory.js';
import type { KeyKind } from '../domain/key-kinds.js';
import type { KeyRef } from '../domain/key-names.js';
import type { EnvFixResult, EnvReport } from '../envcheck/report.js';
import type { EnvProfile } from '../envcheck/types.js';
import type { IpcResult } from './result.js';

export type EmptyRequest = Record<string, never>;

export interface AppInfo {
  host: 'electron' | 'web';
  version: string;
  features: {
    /** The .env checker service is wired in. */
    envcheck: boolean;
    /** A native file dialog exists (Electron); the web host takes typed paths instead. */
    pickPaths: boolean;
    /** Copies go to the OS clipboard from the main process, which clears them itself. */
    hostClipboard: boolean;
  };
}

export interface KeychainStatus {
  state: 'ok' | 'locked' | 'unavailable';
  code?: ErrorCode;
  message: string;
  backend: string;
}

export interface GenerateRequest {
  kind: KeyKind;
  alg?: string;
  bits?: number;
  bytes?: number;
}

/** A generated key held by the host until it is stored, copied, exported or discarded; its value stays there. */
export interface DraftKey {
  draftId: string;
  metadata: KeyMetadata;
  /** Export formats that fit this kind of key. */
  formats: OutputFormat[];
}

export type { KeyRef };

/** Who put the value on the clipboard: the host (already done) or the renderer (with the value, to do it now). */
export type CopyResult = { via: 'host'; clearAfterMs: number } | { via: 'renderer'; value: string; clearAfterMs: number };

export interface ExportResult {
  text: string;
  /** False when the export holds only public material (PEM public key, JWKS). */
  secret: boolean;
}

export interface StoredKey {
  record: KeyRecord;
  version: number;
}

export type { AuditVerification };

export interface EnvCheckRequest {
  paths: string[];
  profile?: string;
  schemaFile?: string;
  example?: string;
}

export interface EnvFixRequest {
  file: string;
  profile?: string;
  schemaFile?: string;
  storePrefix?: string;
  dryRun?: boolean;
}

export type KeyturnContract = {
  appInfo: (req: EmptyRequest) => Promise<AppInfo>;
  keychainStatus: (req: EmptyRequest) => Promise<KeychainStatus>;
  generateKey: (req: GenerateRequest) => Promise<DraftKey>;
  exportDraft: (req: { draftId: string; format: OutputFormat; envVar?: string }) => Promise<ExportResult>;
  copyDraft: (req: { draftId: string }) => Promise<CopyResult>;
  storeDraft: (req: {
    draftId: string;
    name: string;
    envVar?: string;
    tags?: string[];
    notes?: string;
    addVersion?: boolean;
  }) => Promise<StoredKey>;
  discardDraft: (req: { draftId: string }) => Promise<{ discarded: boolean }>;
  listKeys: (req: EmptyRequest) => Promise<KeyRecord[]>;
  revealKey: (req: KeyRef) => Promise<{ name: string; version: number; value: string }>;
  copyKey: (req: KeyRef) => Promise<CopyResult>;
  rotateKey: (req: { name: string }) => Promise<StoredKey>;
  retireKeyVersion: (req: { name: string; version: number }) => Promise<KeyRecord>;
  /** `confirmName` must repeat `name`: the UI makes the user type it. */
  deleteKey: (req: { name: string; confirmName: string }) => Promise<{ deleted: string }>;
  auditList: (req: { limit?: number }) => Promise<AuditEntry[]>;
  auditVerify: (req: EmptyRequest) => Promise<AuditVerification>;
  envProfiles: (req: EmptyRequest) => Promise<EnvProfile[]>;
  envCheck: (req: EnvCheckRequest) => Promise<EnvReport>;
  envFix: (req: EnvFixRequest) => Promise<EnvFixResult>;
  pickPaths: (req: { mode: 'files' | 'folder' }) => Promise<{ paths: string[] }>;
};

export type Channel = keyof KeyturnContract;
export type RequestOf<C extends Channel> = Parameters<KeyturnContract[C]>[0];
export type ResponseOf<C extends Channel> = Awaited<ReturnType<KeyturnContract[C]>>;

/** What the preload (Electron) or the HTTP transport (web host) gives the renderer: results as values, never throws. */
export type KeyturnBridge = { [C in Channel]: (req: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>> };

/** Every channel, for code that must enumerate them at run time (preload, web host routes). */
export const CHANNELS = [
  'appInfo',
  'keychainStatus',
  'generateKey',
  'exportDraft',
  'copyDraft',
  'storeDraft',
  'discardDraft',
  'listKeys',
  'revealKey',
  'copyKey',
  'rotateKey',
  'retireKeyVersion',
  'deleteKey',
  'auditList',
  'auditVerify',
  'envProfiles',
  'envCheck',
  'envFix',
  'pickPaths',
] as const satisfies readonly Channel[];

// Fails to compile when a channel is added to the contract but not to CHANNELS.
type MissingChannels = Exclude<Channel, (typeof CHANNELS)[number]>;
const _allChannelsListed: MissingChannels extends never ? true : MissingChannels = true;
void _allChannelsListed;

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/** The Electron ipcMain channel name for a contract channel. */
export function ipcChannelName(channel: Channel): string {
  return `keyturn:${channel}`;
}

export const CLIPBOARD_CLEAR_MS = 30_000;
export const REVEAL_HIDE_MS = 20_000;
