// What Keyturn knows about each stored key: metadata only, never a secret value.
import type { KeyKind } from './key-kinds.js';

export type KeyVersionStatus = 'current' | 'retiring' | 'retired';

export interface KeyVersionRecord {
  version: number;
  status: KeyVersionStatus;
  created: string; // ISO 8601
  /** SHA-256-based id, safe to show; never the key itself. */
  fingerprint: string;
  /** Key size in bits (symmetric) or modulus/curve bits (asymmetric). */
  size: number;
  /** Number of keychain entries the value is split across (1 when not chunked). */
  chunks: number;
  /** Made by Keyturn, or imported from a file (absent in older inventories): `keys rotate` checks an imported value first. */
  origin?: 'generated' | 'imported';
}

/** A stored version that holds a given value, found by comparing fingerprints through the inventory. */
export interface ValueMatch {
  name: string;
  version: number;
  status: KeyVersionStatus;
  kind: KeyKind;
  /** The key's current version, to say what the value should be instead. */
  current: number;
}

export interface KeyRecord {
  name: string;
  kind: KeyKind;
  alg?: string;
  envVar?: string;
  tags: string[];
  notes?: string;
  current: number;
  versions: KeyVersionRecord[];
}

export interface Inventory {
  format: 1;
  keys: KeyRecord[];
}
