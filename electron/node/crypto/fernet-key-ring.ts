// A ring of Fernet keys, newest first, for re-encrypting stored tokens: which key opens a token, and MultiFernet.rotate
// under the newest with the result checked by the newest key alone. No exception per foreign token: a throw per row
// would cost more than the crypto, and most rows of a rotation are opened by an older key.
import { decodeFernetKeyText, parseFernetTokenLayout } from '../../../shared/formats/fernet-format.js';
import { FernetKeyMaterial, macMatches, openPadded, resealInPlace, tokenBytes, type TokenBuffer } from './fernet-core.js';
import { Fernet } from './fernet.js';
import { decodeTokenText, encodeTokenText } from './token-text.js';

/**
 * current: the newest key opens it (nothing to do). rotated: key `from` opened it, `token` is the new token under the
 * newest key, same plaintext and timestamp, already verified. poison: no key of the ring opens it.
 */
export type RingOutcome = { kind: 'current' } | { kind: 'rotated'; from: number; token: string } | { kind: 'poison' };

/** Thrown only if a token just made does not open under the new key alone: a broken engine, never bad data. */
export class RotationCheckError extends Error {}

export class FernetKeyRing {
  readonly #keys: FernetKeyMaterial[];

  /** `keys`: Fernet key texts (as Python writes them) or raw 32-byte keys, the new key first. */
  constructor(keys: readonly (string | Uint8Array)[]) {
    if (keys.length === 0) throw new RangeError('a key ring needs at least one key');
    this.#keys = keys.map((key) => {
      // Fernet validates the key and refuses a bad one with the same sentence as everywhere else.
      new Fernet(key);
      const decoded = typeof key === 'string' ? decodeFernetKeyText(key) : { ok: true as const, key };
      if (!decoded.ok) throw new RangeError('unreachable: Fernet accepted the key');
      return new FernetKeyMaterial(decoded.key);
    });
  }

  get size(): number {
    return this.#keys.length;
  }

  /** The index of the key that opens the token (MAC and padding both good), or -1. */
  identify(token: string): number {
    const raw = parse(token);
    if (!raw) return -1;
    for (let i = 0; i < this.#keys.length; i += 1) {
      const keys = this.#keys[i]!;
      if (macMatches(keys, raw) && openPadded(keys, raw) !== null) return i;
    }
    return -1;
  }

  /**
   * Python's `MultiFernet.rotate` with the newest key tried first (a token it already opens is left as it is), then
   * the new token decrypted by the newest key alone and compared with the plaintext the old key gave.
   */
  rotate(token: string): RingOutcome {
    const raw = parse(token);
    if (!raw) return { kind: 'poison' };
    const newest = this.#keys[0]!;
    if (macMatches(newest, raw) && openPadded(newest, raw) !== null) return { kind: 'current' };
    for (let i = 1; i < this.#keys.length; i += 1) {
      const keys = this.#keys[i]!;
      if (!macMatches(keys, raw)) continue;
      const padded = openPadded(keys, raw);
      if (padded === null) continue;
      // resealInPlace uses `padded` as scratch, so keep the plaintext for the check.
      const plaintext = Buffer.from(padded);
      const next = encodeTokenText(resealInPlace(newest, raw, padded, null));
      this.#check(next, plaintext);
      return { kind: 'rotated', from: i, token: next };
    }
    return { kind: 'poison' };
  }

  #check(token: string, plaintext: Buffer): void {
    const raw = parse(token);
    const newest = this.#keys[0]!;
    const opened = raw && macMatches(newest, raw) ? openPadded(newest, raw) : null;
    if (!opened || !opened.equals(plaintext))
      throw new RotationCheckError('a re-encrypted token did not decrypt to the same plaintext under the new key');
  }
}

function parse(token: string): TokenBuffer | null {
  const raw = decodeTokenText(token);
  return raw && parseFernetTokenLayout(tokenBytes(raw)) ? raw : null;
}
