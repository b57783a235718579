// The Fernet hot path on raw token bytes: seal, verify, open and re-seal, with each key split and prepared once.
// Tokens live in a buffer with HMAC headroom in front so the MAC needs no copy (see hmac-sha256.ts).
import { createSecretKey } from 'node:crypto';
import {
  FERNET_BLOCK_BYTES,
  FERNET_HALF_KEY_BYTES,
  FERNET_HEADER_BYTES,
  FERNET_IV_BYTES,
  FERNET_KEY_BYTES,
  FERNET_MAC_BYTES,
  FERNET_VERSION,
  writeTimestamp,
} from '../../../shared/formats/fernet-format.js';
import { CbcDecryptStream, CbcEncryptStream } from './cbc-stream.js';
import { HMAC_HEADROOM, HmacSha256Key } from './hmac-sha256.js';
import { fillRandom } from './iv-pool.js';

/** Raw token bytes at `mem[HMAC_HEADROOM, HMAC_HEADROOM + length)`; the headroom is scratch for the MAC. */
export interface TokenBuffer {
  mem: Buffer;
  length: number;
}

const IV_AT = HMAC_HEADROOM + 1 + 8;
const CIPHERTEXT_AT = HMAC_HEADROOM + FERNET_HEADER_BYTES;

/** Allocates a token buffer for `length` raw bytes (contents undefined). */
export function allocToken(length: number): TokenBuffer {
  return { mem: Buffer.allocUnsafe(HMAC_HEADROOM + length), length };
}

/** The raw token bytes, without the headroom. */
export function tokenBytes(token: TokenBuffer): Buffer {
  return token.mem.subarray(HMAC_HEADROOM, HMAC_HEADROOM + token.length);
}

/** One Fernet key, split once (spec: signing = first 16 bytes, encryption = last 16) into ready-to-use contexts. */
export class FernetKeyMaterial {
  readonly mac: HmacSha256Key;
  readonly encryptor: CbcEncryptStream;
  readonly decryptor: CbcDecryptStream;

  constructor(key: Uint8Array) {
    if (key.length !== FERNET_KEY_BYTES) throw new RangeError('a Fernet key is 32 bytes');
    this.mac = new HmacSha256Key(key.subarray(0, FERNET_HALF_KEY_BYTES));
    const encryptionKey = createSecretKey(key.subarray(FERNET_HALF_KEY_BYTES, FERNET_KEY_BYTES));
    this.encryptor = new CbcEncryptStream(encryptionKey);
    this.decryptor = new CbcDecryptStream(encryptionKey);
  }
}

function ivOf(token: TokenBuffer): Buffer {
  return token.mem.subarray(IV_AT, IV_AT + FERNET_IV_BYTES);
}

function macStartOf(token: TokenBuffer): number {
  return HMAC_HEADROOM + token.length - FERNET_MAC_BYTES;
}

/** Encrypts `plaintext` (any length, 0 included) into a new token; `iv` null draws a fresh random IV. */
export function sealToken(keys: FernetKeyMaterial, plaintext: Uint8Array, timestamp: number, iv: Uint8Array | null): TokenBuffer {
  const padLength = FERNET_BLOCK_BYTES - (plaintext.length % FERNET_BLOCK_BYTES);
  const ciphertextLength = plaintext.length + padLength;
  const token = allocToken(FERNET_HEADER_BYTES + ciphertextLength + FERNET_MAC_BYTES);
  const { mem } = token;
  mem[HMAC_HEADROOM] = FERNET_VERSION;
  writeTimestamp(mem.subarray(HMAC_HEADROOM), timestamp);
  if (iv) mem.set(iv, IV_AT);
  else fillRandom(mem, IV_AT, FERNET_IV_BYTES);
  // PKCS#7-padded plaintext is staged where the ciphertext goes, then replaced by it.
  const region = mem.subarray(CIPHERTEXT_AT, CIPHERTEXT_AT + ciphertextLength);
  region.set(plaintext, 0);
  region.fill(padLength, plaintext.length);
  region.set(keys.encryptor.encrypt(region, ivOf(token)));
  keys.mac.sign(mem, CIPHERTEXT_AT + ciphertextLength);
  return token;
}

/** Constant-time check of the token's HMAC; the token must already have a valid layout. */
export function macMatches(keys: FernetKeyMaterial, token: TokenBuffer): boolean {
  return keys.mac.verify(token.mem, macStartOf(token));
}

/** Length of valid PKCS#7 padding at the end of `padded`, 0 when invalid. The MAC is checked first, so no oracle. */
export function paddingLength(padded: Uint8Array): number {
  const n = padded.length === 0 ? 0 : (padded[padded.length - 1] as number);
  if (n < 1 || n > FERNET_BLOCK_BYTES || n > padded.length) return 0;
  for (let i = padded.length - n; i < padded.length; i += 1) if (padded[i] !== n) return 0;
  return n;
}

/**
 * Decrypts a token whose MAC was verified, returning the plaintext still carrying its PKCS#7 padding, or null when
 * the padding is malformed (only possible for a token made with the right key by a broken encoder).
 */
export function openPadded(keys: FernetKeyMaterial, token: TokenBuffer): Buffer | null {
  const ciphertext = token.mem.subarray(CIPHERTEXT_AT, macStartOf(token));
  const padded = keys.decryptor.decrypt(ciphertext, ivOf(token));
  return paddingLength(padded) === 0 ? null : padded;
}

/** Plaintext of a verified token, or null on bad padding. */
export function openToken(keys: FernetKeyMaterial, token: TokenBuffer): Buffer | null {
  const padded = openPadded(keys, token);
  return padded === null ? null : padded.subarray(0, padded.length - paddingLength(padded));
}

/**
 * Re-seals an opened token under `keys`, in place: the padded plaintext is encrypted as it is (no unpad and re-pad),
 * the version and original timestamp bytes stay untouched, a fresh IV is drawn, one HMAC is written. `padded` is
 * consumed (used as scratch).
 */
export function resealInPlace(keys: FernetKeyMaterial, token: TokenBuffer, padded: Buffer, iv: Uint8Array | null): TokenBuffer {
  if (iv) token.mem.set(iv, IV_AT);
  else fillRandom(token.mem, IV_AT, FERNET_IV_BYTES);
  token.mem.set(keys.encryptor.encrypt(padded, ivOf(token)), CIPHERTEXT_AT);
  keys.mac.sign(token.mem, macStartOf(token));
  return token;
}
