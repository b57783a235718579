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

/** What to generate; unset fields take the defaults in key-kinds.ts. The one request shape for the CLI, the UI and .env fix. */
export interface GenerateRequest {
  kind: KeyKind;
  alg?: string;
  /** RSA modulus size, or an EC curve size (256, 384, 521). */
  bits?: number;
  /** Random bytes of a secret or HMAC key. */
  bytes?: number;
}

export const OUTPUT_FORMATS = ['text', 'json', 'env', 'pem', 'jwk', 'jwks'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
