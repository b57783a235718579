// Token text <-> bytes on Node: native base64 for the canonical form Python writes, the pure port of Python's lenient
// decoder for everything else, so a token is accepted exactly when Python would accept it.
import { decodeBase64Lenient } from '../../../shared/formats/base64.js';
import { paddingFor } from '../../../shared/formats/fernet-format.js';
import { allocToken, tokenBytes, type TokenBuffer } from './fernet-core.js';
import { HMAC_HEADROOM } from './hmac-sha256.js';

/** Padded url-safe base64, byte-for-byte what Python's `base64.urlsafe_b64encode` returns. */
export function encodeTokenText(token: TokenBuffer): string {
  return tokenBytes(token).toString('base64url') + paddingFor(token.length);
}

/**
 * The token's bytes as Python's `base64.urlsafe_b64decode` would decode them, or null where Python raises.
 * Fast path: Node's (more forgiving) decoder, accepted only if re-encoding gives back the exact text, which proves the
 * text canonical, where Node and Python agree. Anything else goes through the exact port of Python's decoder.
 */
export function decodeTokenText(text: string): TokenBuffer | null {
  if (text.length % 4 === 0) {
    const pads = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const token = allocToken((text.length / 4) * 3 - pads);
    const end = HMAC_HEADROOM + token.length;
    const written = token.mem.write(text, HMAC_HEADROOM, 'base64url');
    if (written === token.length && token.mem.toString('base64url', HMAC_HEADROOM, end) === text.slice(0, text.length - pads)) return token;
  }
  const decoded = decodeBase64Lenient(text);
  if (!decoded.ok) return null;
  const token = allocToken(decoded.bytes.length);
  token.mem.set(decoded.bytes, HMAC_HEADROOM);
  return token;
}
