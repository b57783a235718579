// Safe-to-show identities and metadata for stored key values: a fingerprint never lets anyone recover the key (keyed
// with a per-installation key for secrets; a public form only for values too random to guess).
import { createHash, createHmac, createPrivateKey, type KeyObject } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isAsymmetric, type EcAlg, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { decodeBase64url } from '../../../shared/formats/base64.js';
import { checkFernetKey } from '../../../shared/formats/fernet-format.js';
import { jwkThumbprint, publicJwkOfPem } from './jwk-thumbprint.js';
import { estimateEntropyBits, HIGH_ENTROPY_BITS } from './value-entropy.js';

/** Domain separation: a Keyturn fingerprint can never equal a plain SHA-256 of the value that some other tool shows. */
const FINGERPRINT_DOMAIN = 'keyturn-fingerprint-v1\0';
const FINGERPRINT_BYTES = 16;

const CURVE_ALG: Record<string, { alg: EcAlg; bits: number }> = {
  prime256v1: { alg: 'ES256', bits: 256 },
  secp384r1: { alg: 'ES384', bits: 384 },
  secp521r1: { alg: 'ES512', bits: 521 },
};

/**
 * The public form. Asymmetric keys: `jwk-thumbprint:` + the RFC 7638 thumbprint of the public JWK (equal to its
 * `kid`). Symmetric keys: `sha256:` + base64url of the first 16 bytes of SHA-256 over a domain tag and the value.
 * Safe to show only for values with 100+ bits of entropy (keys Keyturn makes carry 128 or more): the inventory
 * keeps `keyedFingerprint` of it, and this form only where `publicFingerprintOf` allows.
 */
export function fingerprintOf(kind: KeyKind, secret: string): string {
  if (isAsymmetric(kind)) return `jwk-thumbprint:${jwkThumbprint(publicJwkOfPem(secret))}`;
  const digest = createHash('sha256').update(FINGERPRINT_DOMAIN, 'utf8').update(secret, 'utf8').digest();
  return `sha256:${digest.subarray(0, FINGERPRINT_BYTES).toString('base64url')}`;
}

/** Domain separation for the keyed form: an HMAC over the public digest, so an old inventory migrates without values. */
const KEYED_DOMAIN = 'keyturn-keyed-fingerprint-v1\0';

/** True for the unkeyed `sha256:` form that inventories before keyed fingerprints held for symmetric keys. */
export function isUnkeyedFingerprint(fingerprint: string): boolean {
  return fingerprint.startsWith('sha256:');
}

/**
 * This installation's fingerprint of a value, from its public form (`fingerprintOf`): symmetric keys get `hmac:` +
 * base64url of the first 16 bytes of HMAC-SHA256 under the installation key over the public digest, which nobody
 * without that key can test guesses against; key pairs keep their JWK thumbprint, which is public by nature.
 */
export function keyedFingerprint(installationKey: Uint8Array, publicForm: string): string {
  if (!isUnkeyedFingerprint(publicForm)) return publicForm;
  const digest = Buffer.from(publicForm.slice('sha256:'.length), 'base64url');
  const mac = createHmac('sha256', installationKey).update(KEYED_DOMAIN, 'utf8').update(digest).digest();
  return `hmac:${mac.subarray(0, FINGERPRINT_BYTES).toString('base64url')}`;
}

/**
 * The form any Keyturn computes alike, for comparing across machines (share sheets, a key on two laptops), or null
 * when the value is too guessable to have one (a public digest of `Summer2024!` falls to a few guesses).
 */
export function publicFingerprintOf(kind: KeyKind, secret: string): string | null {
  if (!isAsymmetric(kind) && estimateEntropyBits(secret) < HIGH_ENTROPY_BITS) return null;
  return fingerprintOf(kind, secret);
}

/** Key material in bytes of a secret or HMAC value: base64url text counts its decoded bytes, anything else its UTF-8. */
function symmetricBytes(secret: string): number {
  const decoded = decodeBase64url(secret);
  return decoded && decoded.length > 0 ? decoded.length : new TextEncoder().encode(secret).length;
}

function readPrivateKey(secret: string): KeyObject {
  try {
    return createPrivateKey({ key: secret, format: 'pem' });
  } catch {
    throw new KeyturnError(
      'invalid-key',
      'The value is not a readable, unencrypted PEM private key; expected a PKCS#8 "PRIVATE KEY" block as Keyturn generates it.',
    );
  }
}

/**
 * Re-derives `alg` and `size` (bits) from a stored value, e.g. one imported from a .env file. An RSA key does not say
 * whether it is for RS* or PS*, and an HMAC secret does not say which hash, so those come back without `alg`.
 */
export function describeKey(kind: KeyKind, secret: string): { alg?: string; size: number } {
  switch (kind) {
    case 'fernet': {
      const check = checkFernetKey(secret);
      if (!check.ok) throw new KeyturnError('invalid-key', `The Fernet key is not usable: ${check.reason}.`);
      return { size: 256 };
    }
    case 'secret':
    case 'jwt-hmac':
      if (secret.length === 0) throw new KeyturnError('invalid-key', 'The value is empty; a secret needs at least one byte.');
      return { size: symmetricBytes(secret) * 8 };
    case 'jwt-rsa': {
      const key = readPrivateKey(secret);
      const type = key.asymmetricKeyType;
      if (type !== 'rsa' && type !== 'rsa-pss') throw mismatch(kind, type);
      return { size: key.asymmetricKeyDetails?.modulusLength ?? 0 };
    }
    case 'jwt-ec': {
      const key = readPrivateKey(secret);
      const curve = CURVE_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (key.asymmetricKeyType !== 'ec' || !curve) throw mismatch(kind, key.asymmetricKeyType);
      return { alg: curve.alg, size: curve.bits };
    }
    case 'jwt-ed25519': {
      const key = readPrivateKey(secret);
      if (key.asymmetricKeyType !== 'ed25519') throw mismatch(kind, key.asymmetricKeyType);
      return { alg: 'EdDSA', size: 256 };
    }
    default:
      throw new KeyturnError('invalid-input', 'Unknown key kind; choose fernet, secret, jwt-hmac, jwt-rsa, jwt-ec or jwt-ed25519.');
  }
}

function mismatch(kind: KeyKind, type: string | undefined): KeyturnError {
  return new KeyturnError(
    'invalid-key',
    `The PEM holds ${type ? `a key of type ${type}` : 'an unsupported key'} (or an unsupported curve), which does not fit kind ${kind}.`,
  );
}
