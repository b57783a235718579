// The result of generating a key: its text value plus metadata that is safe to show.
import type { KeyKind } from './key-kinds.js';

export interface KeyMetadata {
  kind: KeyKind;
  alg?: string;
  /** Bits of key material (symmetric) or key size (RSA modulus, EC curve). */
  size: number;
  fingerprint: string;
  created: string;
}

export interface GeneratedKey extends KeyMetadata {
  /**
   * The value as stored in the keychain and as a Python service reads it: the Fernet key (urlsafe base64, padded),
   * the secret or HMAC key (urlsafe base64 without padding), or the PKCS#8 PEM private key.
   */
  secret: string;
  /** SPKI PEM public key, for asymmetric kinds. */
  publicPem?: string;
}

export const OUTPUT_FORMATS = ['text', 'json', 'env', 'pem', 'jwk', 'jwks'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
