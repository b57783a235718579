// Fernet key and token layout (spec: github.com/fernet/spec), pure so the renderer's .env checker can validate keys too.
import { decodeBase64Lenient, encodeBase64 } from './base64.js';

export const FERNET_VERSION = 0x80;
export const FERNET_KEY_BYTES = 32;
/** Signing key is the first half of the key, encryption key the second (spec: "Key Format"). */
export const FERNET_HALF_KEY_BYTES = 16;
export const FERNET_IV_BYTES = 16;
export const FERNET_BLOCK_BYTES = 16;
export const FERNET_MAC_BYTES = 32;
/** version (1) + timestamp (8) + IV (16): what comes before the ciphertext. */
export const FERNET_HEADER_BYTES = 25;
/** Header + one ciphertext block + MAC: even an empty plaintext pads to one block. */
export const FERNET_MIN_TOKEN_BYTES = FERNET_HEADER_BYTES + FERNET_BLOCK_BYTES + FERNET_MAC_BYTES;
/** Tokens more than this many seconds in the future are refused when a TTL is checked (spec: "Verifying"). */
export const FERNET_MAX_CLOCK_SKEW_S = 60;
export const FERNET_KEY_TEXT_LENGTH = 44;

/** The sentence Python's `Fernet(key)` uses, so users recognise it; never followed by the key itself. */
export const FERNET_KEY_REQUIREMENT =
  'a Fernet key must be 32 url-safe base64-encoded bytes (44 characters ending in "=", as Fernet.generate_key() writes it)';

export type FernetKeyCheck = { ok: true } | { ok: false; reason: string };
export type FernetKeyDecode = { ok: true; key: Uint8Array } | { ok: false; reason: string };

/**
 * Decodes a Fernet key exactly as Python's `Fernet(key)` does (`base64.urlsafe_b64decode`, then 32 bytes):
 * a string is Python `str` (non-ASCII refused), a Uint8Array is Python `bytes` holding the base64 text.
 */
export function decodeFernetKeyText(value: string | Uint8Array): FernetKeyDecode {
  const decoded = decodeBase64Lenient(value);
  if (!decoded.ok) {
    const why =
      decoded.reason === 'non-ascii'
        ? 'it contains a non-ASCII character'
        : decoded.reason === 'incorrect-padding'
          ? 'its base64 padding is missing or wrong ("=" at the end)'
          : 'its base64 length is impossible (one character too many or too few)';
    return { ok: false, reason: `${why}; ${FERNET_KEY_REQUIREMENT}` };
  }
  if (decoded.bytes.length !== FERNET_KEY_BYTES) {
    return { ok: false, reason: `it decodes to ${decoded.bytes.length} bytes, not 32; ${FERNET_KEY_REQUIREMENT}` };
  }
  return { ok: true, key: decoded.bytes };
}

/** True exactly when Python's `Fernet(value)` accepts the string; the reason never quotes the value. */
export function checkFernetKey(value: string): FernetKeyCheck {
  const decoded = decodeFernetKeyText(value);
  return decoded.ok ? { ok: true } : { ok: false, reason: decoded.reason };
}

/** The text Python's `Fernet.generate_key()` would print for these 32 bytes: url-safe base64 with its `=`. */
export function formatFernetKey(key: Uint8Array): string {
  if (key.length !== FERNET_KEY_BYTES) throw new RangeError('a Fernet key is 32 bytes');
  return encodeBase64(key, { url: true, pad: true });
}

export interface FernetTokenLayout {
  /** Seconds since the epoch, as the token's creator wrote it (a JS number: exact up to 2^53). */
  timestamp: number;
  ciphertextStart: number;
  macStart: number;
}

/**
 * Checks the byte layout of a decoded token (version byte, length, whole cipher blocks) without any key.
 * Null for anything a valid Fernet token can never be; callers turn that into their single invalid-token error.
 */
export function parseFernetTokenLayout(raw: Uint8Array): FernetTokenLayout | null {
  if (raw.length < FERNET_MIN_TOKEN_BYTES || raw[0] !== FERNET_VERSION) return null;
  const macStart = raw.length - FERNET_MAC_BYTES;
  if ((macStart - FERNET_HEADER_BYTES) % FERNET_BLOCK_BYTES !== 0) return null;
  return { timestamp: readTimestamp(raw), ciphertextStart: FERNET_HEADER_BYTES, macStart };
}

/** Big-endian unsigned 64-bit timestamp at bytes 1..8, read without BigInt (hot path). */
export function readTimestamp(raw: Uint8Array): number {
  const hi = ((raw[1] as number) * 0x1000000 + (((raw[2] as number) << 16) | ((raw[3] as number) << 8) | (raw[4] as number))) >>> 0;
  const lo = ((raw[5] as number) * 0x1000000 + (((raw[6] as number) << 16) | ((raw[7] as number) << 8) | (raw[8] as number))) >>> 0;
  return hi * 0x100000000 + lo;
}

/** Writes a whole-second timestamp big-endian at bytes 1..8. */
export function writeTimestamp(raw: Uint8Array, seconds: number): void {
  const hi = Math.floor(seconds / 0x100000000);
  const lo = seconds - hi * 0x100000000;
  raw[1] = (hi >>> 24) & 0xff;
  raw[2] = (hi >>> 16) & 0xff;
  raw[3] = (hi >>> 8) & 0xff;
  raw[4] = hi & 0xff;
  raw[5] = (lo >>> 24) & 0xff;
  raw[6] = (lo >>> 16) & 0xff;
  raw[7] = (lo >>> 8) & 0xff;
  raw[8] = lo & 0xff;
}

/** The `=` padding Python's urlsafe_b64encode appends for this many bytes. */
export function paddingFor(byteLength: number): string {
  const rest = byteLength % 3;
  return rest === 0 ? '' : rest === 1 ? '==' : '=';
}
