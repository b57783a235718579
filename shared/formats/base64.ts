// Pure base64 helpers: encoding in both alphabets, strict base64url for JWK members, and a faithful port of
// Python's lenient `base64.urlsafe_b64decode`, because a Fernet key or token is valid exactly when Python accepts it.

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PAD = 61; // '='

/**
 * Decoding table after Python's urlsafe translation (`-` -> `+`, `_` -> `/`): both alphabets decode, mixed freely,
 * and everything else is -1 (skipped by the lenient decoder, rejected by the strict one).
 */
const LENIENT_TABLE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 64; i += 1) {
    table[STANDARD.charCodeAt(i)] = i;
    table[URLSAFE.charCodeAt(i)] = i;
  }
  return table;
})();

const URLSAFE_TABLE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 64; i += 1) table[URLSAFE.charCodeAt(i)] = i;
  return table;
})();

export type LenientDecodeResult =
  { ok: true; bytes: Uint8Array } | { ok: false; reason: 'non-ascii' | 'incorrect-padding' | 'invalid-length' };

/** Encodes bytes as base64; `url` picks the `-_` alphabet, `pad` appends `=` to a multiple of 4 as Python does. */
export function encodeBase64(bytes: Uint8Array, options: { url: boolean; pad: boolean }): string {
  const alphabet = options.url ? URLSAFE : STANDARD;
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + (options.pad ? '==' : '');
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (options.pad ? '=' : '');
  }
  return out;
}

/** base64url without padding (RFC 7515 section 2), as JWK members and `secrets.token_urlsafe` write it. */
export function encodeBase64url(bytes: Uint8Array): string {
  return encodeBase64(bytes, { url: true, pad: false });
}

/**
 * Strict base64url as RFC 7515 requires for JWK members: only `A-Za-z0-9-_`, no padding, no whitespace, no
 * impossible lengths, and no stray bits in the last character (so every value has one spelling). Null when invalid.
 */
export function decodeBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const v = code < 256 ? (URLSAFE_TABLE[code] as number) : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/**
 * Port of CPython 3.11's `base64.urlsafe_b64decode` (translate `-_` to `+/`, then non-strict `binascii.a2b_base64`):
 * a `str` with a non-ASCII character is refused; bytes outside the alphabet are discarded, not refused; `=` before
 * the second character of a quad is ignored; decoding stops at the first complete padding, ignoring what follows; a
 * quad left without its padding is "Incorrect padding". Bytes input behaves like Python `bytes` (no ASCII check).
 */
export function decodeBase64Lenient(input: string | Uint8Array): LenientDecodeResult {
  const isText = typeof input === 'string';
  const length = input.length;
  const out = new Uint8Array(Math.floor((length + 3) / 4) * 3);
  let quad = 0;
  let left = 0;
  let pads = 0;
  let n = 0;
  let finished = false;
  for (let i = 0; i < length; i += 1) {
    const code = isText ? input.charCodeAt(i) : (input[i] as number);
    if (isText && code > 127) return { ok: false, reason: 'non-ascii' };
    if (code === PAD) {
      // Python counts pads only once two data characters of the quad are in; earlier '=' are skipped.
      if (quad >= 2) {
        pads += 1;
        if (quad + pads >= 4) {
          finished = true;
          break;
        }
      }
      continue;
    }
    const v = LENIENT_TABLE[code] as number;
    if (v < 0) continue;
    pads = 0;
    switch (quad) {
      case 0:
        quad = 1;
        left = v;
        break;
      case 1:
        quad = 2;
        out[n++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        break;
      case 2:
        quad = 3;
        out[n++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quad = 0;
        out[n++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  // A str is checked for ASCII before decoding starts, so characters after the padding must be checked too.
  if (finished && isText) {
    for (let i = 0; i < length; i += 1) if (input.charCodeAt(i) > 127) return { ok: false, reason: 'non-ascii' };
  }
  if (!finished && quad !== 0) return { ok: false, reason: quad === 1 ? 'invalid-length' : 'incorrect-padding' };
  return { ok: true, bytes: out.subarray(0, n) };
}
