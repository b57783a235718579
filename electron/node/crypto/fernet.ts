// Fernet and MultiFernet with the semantics of Python's `cryptography.fernet`, on node:crypto.
import { randomBytes } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import {
  FERNET_IV_BYTES,
  FERNET_KEY_BYTES,
  FERNET_KEY_REQUIREMENT,
  FERNET_MAX_CLOCK_SKEW_S,
  decodeFernetKeyText,
  formatFernetKey,
  parseFernetTokenLayout,
  type FernetTokenLayout,
} from '../../../shared/formats/fernet-format.js';
import {
  FernetKeyMaterial,
  macMatches,
  openPadded,
  openToken,
  resealInPlace,
  sealToken,
  tokenBytes,
  type TokenBuffer,
} from './fernet-core.js';
import { decodeTokenText, encodeTokenText } from './token-text.js';

/** One sentence for every bad token, as Python's InvalidToken: saying why would help an attacker, not the user. */
export const INVALID_TOKEN_MESSAGE =
  'The Fernet token is not valid for this key: it was made with another key, was altered or truncated, is not a Fernet token, or (with a TTL) has expired. Check the key and the input.';

export interface EncryptOptions {
  /** Token timestamp in whole seconds since the epoch (default: now). */
  now?: number;
  /** Fixed 16-byte IV, for test vectors only; by default a fresh random IV per token. */
  iv?: Uint8Array;
}

export interface DecryptOptions {
  /** Maximum token age in seconds; when given, tokens over 60 s in the future are refused too (spec). */
  ttl?: number;
  /** The "current" time in whole seconds for the TTL check (default: now). */
  now?: number;
}

function invalidToken(): KeyturnError {
  return new KeyturnError('invalid-token', INVALID_TOKEN_MESSAGE);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function checkSeconds(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new KeyturnError('invalid-input', `${what} must be a whole number of seconds, 0 or more.`);
  return value;
}

function checkIv(iv: Uint8Array | undefined): Uint8Array | null {
  if (iv === undefined) return null;
  if (!(iv instanceof Uint8Array) || iv.length !== FERNET_IV_BYTES)
    throw new KeyturnError('invalid-input', 'A Fernet IV must be 16 bytes.');
  return iv;
}

function checkPlaintext(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new KeyturnError('invalid-input', 'Fernet encrypts bytes: pass a Buffer or Uint8Array.');
  return data;
}

/** Decodes and lays out a token; every failure is the one invalid-token error. */
function parseToken(token: string): { raw: TokenBuffer; layout: FernetTokenLayout } {
  if (typeof token !== 'string') throw invalidToken();
  const raw = decodeTokenText(token);
  const layout = raw && parseFernetTokenLayout(tokenBytes(raw));
  if (!raw || !layout) throw invalidToken();
  return { raw, layout };
}

/** The spec's time checks, done before the MAC as Python does; only when a TTL is asked for. */
function checkTime(layout: FernetTokenLayout, opts: DecryptOptions | undefined): void {
  if (opts?.ttl === undefined) return;
  const ttl = checkSeconds(opts.ttl, 'The TTL');
  const now = opts.now === undefined ? nowSeconds() : checkSeconds(opts.now, 'The current time');
  if (layout.timestamp + ttl < now || now + FERNET_MAX_CLOCK_SKEW_S < layout.timestamp) throw invalidToken();
}

function materialFrom(key: string | Uint8Array): FernetKeyMaterial {
  let bytes: Uint8Array;
  if (typeof key === 'string') {
    const decoded = decodeFernetKeyText(key);
    if (!decoded.ok) throw new KeyturnError('invalid-key', `The Fernet key is not usable: ${decoded.reason}.`);
    bytes = decoded.key;
  } else if (key instanceof Uint8Array && key.length === FERNET_KEY_BYTES) {
    bytes = key;
  } else {
    throw new KeyturnError('invalid-key', `The Fernet key is not usable: raw key bytes must be exactly 32; ${FERNET_KEY_REQUIREMENT}.`);
  }
  return new FernetKeyMaterial(bytes);
}

/** Key material of each Fernet, readable by MultiFernet in this module only. */
const materials = new WeakMap<Fernet, FernetKeyMaterial>();

/**
 * A Fernet key: a string is the url-safe base64 text Python's `Fernet(key)` accepts (same leniency, same refusals);
 * a Uint8Array is the 32 raw key bytes. The key lives in KeyObjects and is never printed by inspection.
 */
export class Fernet {
  constructor(key: string | Uint8Array) {
    materials.set(this, materialFrom(key));
  }

  /** Token text with Python's padding; binary-safe for any plaintext length, including 0. */
  encrypt(data: Uint8Array, opts?: EncryptOptions): string {
    const now = opts?.now === undefined ? nowSeconds() : checkSeconds(opts.now, 'The token time');
    return encodeTokenText(sealToken(materials.get(this)!, checkPlaintext(data), now, checkIv(opts?.iv)));
  }

  /** The exact plaintext bytes; throws the single invalid-token error for any bad, foreign or expired token. */
  decrypt(token: string, opts?: DecryptOptions): Buffer {
    const { raw, layout } = parseToken(token);
    checkTime(layout, opts);
    const keys = materials.get(this)!;
    if (!macMatches(keys, raw)) throw invalidToken();
    const plaintext = openToken(keys, raw);
    if (!plaintext) throw invalidToken();
    return plaintext;
  }

  /** The token's creation time (seconds), only after its MAC is verified, as Python's `extract_timestamp`. */
  extractTimestamp(token: string): number {
    const { raw, layout } = parseToken(token);
    if (!macMatches(materials.get(this)!, raw)) throw invalidToken();
    return layout.timestamp;
  }
}

/** Several keys: encrypt with the first, decrypt with any, rotate re-encrypts under the first keeping the timestamp. */
export class MultiFernet {
  readonly #fernets: readonly Fernet[];
  readonly #keys: readonly FernetKeyMaterial[];

  constructor(keys: Fernet[]) {
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => k instanceof Fernet)) {
      throw new KeyturnError('invalid-input', 'MultiFernet needs at least one Fernet key, newest first.');
    }
    this.#fernets = [...keys];
    this.#keys = keys.map((k) => materials.get(k)!);
  }

  encrypt(data: Uint8Array, opts?: EncryptOptions): string {
    return this.#fernets[0]!.encrypt(data, opts);
  }

  decrypt(token: string, opts?: DecryptOptions): Buffer {
    const { raw, layout } = parseToken(token);
    checkTime(layout, opts);
    for (const keys of this.#keys) {
      if (!macMatches(keys, raw)) continue;
      const plaintext = openToken(keys, raw);
      if (plaintext) return plaintext;
    }
    throw invalidToken();
  }

  extractTimestamp(token: string): number {
    const { raw, layout } = parseToken(token);
    if (this.#keys.some((keys) => macMatches(keys, raw))) return layout.timestamp;
    throw invalidToken();
  }

  /**
   * Python's `MultiFernet.rotate`: decrypts with whichever key fits (no TTL check), re-encrypts under the first key
   * with a fresh IV and the token's original timestamp. `iv` is for tests only.
   */
  rotate(token: string, opts?: { iv?: Uint8Array }): string {
    const iv = checkIv(opts?.iv);
    const { raw } = parseToken(token);
    for (const keys of this.#keys) {
      if (!macMatches(keys, raw)) continue;
      const padded = openPadded(keys, raw);
      if (padded) return encodeTokenText(resealInPlace(this.#keys[0]!, raw, padded, iv));
    }
    throw invalidToken();
  }
}

/** A new key in the exact text form of Python's `Fernet.generate_key()`: 32 random bytes, url-safe base64 with `=`. */
export function generateFernetKey(): string {
  return formatFernetKey(randomBytes(FERNET_KEY_BYTES));
}
