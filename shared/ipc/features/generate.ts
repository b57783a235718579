// The generate feature's channels: a key is made and held by the host as a draft; the page gets metadata, and the value
// only on an explicit export or copy.
import type { GenerateRequest, KeyMetadata, OutputFormat } from '../../domain/generated-key.js';
import type { KeyRecord } from '../../domain/inventory.js';

/** A generated key held by the host until it is stored, copied, exported or discarded; its value stays there. */
export interface DraftKey {
  draftId: string;
  metadata: KeyMetadata;
  /** Export formats that fit this kind of key. */
  formats: readonly OutputFormat[];
}

/** Who put the value on the clipboard: the host (already done) or the renderer (with the value, to do it now). */
export type CopyResult = { via: 'host'; clearAfterMs: number } | { via: 'renderer'; value: string; clearAfterMs: number };

export interface ExportResult {
  text: string;
  /** False when the export holds only public material (a JWKS). */
  secret: boolean;
}

export interface StoredKey {
  record: KeyRecord;
  version: number;
}

export type GenerateContract = {
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
};

export const GENERATE_CHANNELS = [
  'generateKey',
  'exportDraft',
  'copyDraft',
  'storeDraft',
  'discardDraft',
] as const satisfies readonly (keyof GenerateContract)[];

export const CLIPBOARD_CLEAR_MS = 30_000;
