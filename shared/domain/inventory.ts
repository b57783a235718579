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
}

/** When a key is due for rotation: `maxAge` after its current version was made, with a `warn` lead time (`90d`, `14d`). */
export interface RotationPolicy {
  maxAge: string;
  warn?: string;
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
  /** Set with `keyturn keys policy`; absent: the defaults for the key's kind. */
  policy?: RotationPolicy;
}

export interface Inventory {
  format: 1;
  keys: KeyRecord[];
}
