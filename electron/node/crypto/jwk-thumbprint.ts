// RFC 7638 JWK thumbprints, computed synchronously on node:crypto so fingerprints need no async call.
import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';

/** The members RFC 7638 section 3.2 hashes for each key type, already in lexicographic order. */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
};

/** base64url(SHA-256(canonical JSON of the required members)), as RFC 7638 section 3.1 computes it. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const kty = typeof jwk.kty === 'string' ? jwk.kty : '';
  const members = REQUIRED_MEMBERS[kty];
  if (!members)
    throw new KeyturnError('invalid-key', 'This JWK has no key type Keyturn can fingerprint (kty must be RSA, EC, OKP or oct).');
  const canonical: Record<string, string> = {};
  for (const name of members) {
    const value = jwk[name];
    if (typeof value !== 'string' || value === '')
      throw new KeyturnError('invalid-key', `This JWK lacks its "${name}" member, so it has no RFC 7638 thumbprint.`);
    canonical[name] = value;
  }
  // Member values are base64url or short names: JSON.stringify adds no whitespace and needs no escaping here.
  return createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('base64url');
}

/** The public JWK of a PEM key (private PKCS#8/PKCS#1/SEC1 or public SPKI); invalid-key when it cannot be read. */
export function publicJwkOfPem(pem: string): JsonWebKey {
  try {
    return createPublicKey({ key: pem, format: 'pem' }).export({ format: 'jwk' });
  } catch {
    throw new KeyturnError(
      'invalid-key',
      'The value is not a readable, unencrypted PEM key; expected a PKCS#8 "PRIVATE KEY" block as Keyturn generates it.',
    );
  }
}
