// What Keyturn knows about each stored key: metadata only, never a secret value.
import type { KeyKind } from './key-kinds.js';

export type KeyVersionStatus = 'current' | 'retiring' | 'retired';

export interface KeyVersionRecord {
  version: number;
  status: KeyVersionStatus;
  created: string; // ISO 8601
  /**
   * This installation's id of the value, safe to show, never the key: `hmac:...` (HMAC-SHA256 under the installation
   * key in the keychain, so a weak value cannot be guessed from it) for secrets, `jwk-thumbprint:...` for key pairs.
   */
  fingerprint: string;
  /**
   * The same value's id as any Keyturn computes it (`sha256:...`, or the JWK thumbprint), for comparing across
   * machines; only for values too random to guess (generated keys, key pairs), absent otherwise.
   */
  publicFingerprint?: string;
  /** Key size in bits (symmetric) or modulus/curve bits (asymmetric). */
  size: number;
  /** Number of keychain entries the value is split across (1 when not chunked). */
  chunks: number;
  /** Made by Keyturn, or imported from a file (absent in older inventories): `keys rotate` checks an imported value first. */
  origin?: 'generated' | 'imported';
  /** Where this version was pushed (one entry per cloud secret holding it); absent when never pushed. */
  pushes?: PushRecord[];
}

/** A write of one key version to one cloud secret, as read back and verified; never the value. */
export interface PushRecord {
  /** The target's name in targets.json. */
  target: string;
  /** The secret's name at the target (AWS secret name or Azure secret name). */
  secret: string;
  /** The JSON field holding the key when the secret is a bundle. */
  field?: string;
  /** The version id the service gave the write (AWS VersionId, Azure version). */
  remoteVersion: string;
  /** `pending`: written as AWSPENDING only, waiting for `push promote`. */
  stage: 'current' | 'pending';
  at: string; // ISO 8601
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
  /** Which installation key the `hmac:` fingerprints were made with (an id, not the key); absent before the first. */
  fingerprintKey?: { id: string };
}
