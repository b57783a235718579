// The keys feature's channels: the inventory, and the audited actions on stored keys. Listing never carries a value.
import type { KeyRecord } from '../../domain/inventory.js';
import type { KeyRef } from '../../domain/key-names.js';
import type { EmptyRequest } from './empty-request.js';
import type { CopyResult, StoredKey } from './generate.js';

export type KeysContract = {
  listKeys: (req: EmptyRequest) => Promise<KeyRecord[]>;
  revealKey: (req: KeyRef) => Promise<{ name: string; version: number; value: string }>;
  copyKey: (req: KeyRef) => Promise<CopyResult>;
  rotateKey: (req: { name: string }) => Promise<StoredKey>;
  retireKeyVersion: (req: { name: string; version: number }) => Promise<KeyRecord>;
  /** `confirmName` must repeat `name`: the UI makes the user type it. */
  deleteKey: (req: { name: string; confirmName: string }) => Promise<{ deleted: string }>;
};

export const KEYS_CHANNELS = [
  'listKeys',
  'revealKey',
  'copyKey',
  'rotateKey',
  'retireKeyVersion',
  'deleteKey',
] as const satisfies readonly (keyof KeysContract)[];

export const REVEAL_HIDE_MS = 20_000;
