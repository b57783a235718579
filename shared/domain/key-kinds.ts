// The kinds of key Keyturn generates, their algorithms and the sizes each accepts.

export const KEY_KINDS = ['fernet', 'secret', 'jwt-hmac', 'jwt-rsa', 'jwt-ec', 'jwt-ed25519'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const HMAC_ALGS = ['HS256', 'HS384', 'HS512'] as const;
export const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export const EC_ALGS = ['ES256', 'ES384', 'ES512'] as const;
export const ED_ALGS = ['EdDSA'] as const;

export type HmacAlg = (typeof HMAC_ALGS)[number];
export type RsaAlg = (typeof RSA_ALGS)[number];
export type EcAlg = (typeof EC_ALGS)[number];
export type JwtAlg = HmacAlg | RsaAlg | EcAlg | 'EdDSA';

/** Minimum HMAC key length in bytes: the hash output size (RFC 7518 section 3.2). */
export const HMAC_MIN_BYTES: Record<HmacAlg, number> = { HS256: 32, HS384: 48, HS512: 64 };
export const EC_CURVES: Record<EcAlg, 'P-256' | 'P-384' | 'P-521'> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
export const RSA_BITS = [2048, 3072, 4096] as const;
/** 3072 bits: NIST SP 800-57's size for use beyond 2030 (128-bit security); 2048 stays allowed for older verifiers. */
export const RSA_DEFAULT_BITS = 3072;
/** Like `secrets.token_urlsafe()`, whose default is 32 bytes. */
export const SECRET_DEFAULT_BYTES = 32;
/** 128 bits: below this a random secret can be searched. */
export const SECRET_MIN_BYTES = 16;
export const MAX_SECRET_BYTES = 1024;

export const DEFAULT_ALG: Record<KeyKind, JwtAlg | undefined> = {
  fernet: undefined,
  secret: undefined,
  'jwt-hmac': 'HS256',
  'jwt-rsa': 'RS256',
  'jwt-ec': 'ES256',
  'jwt-ed25519': 'EdDSA',
};

export const ALGS_BY_KIND: Record<KeyKind, readonly string[]> = {
  fernet: [],
  secret: [],
  'jwt-hmac': HMAC_ALGS,
  'jwt-rsa': RSA_ALGS,
  'jwt-ec': EC_ALGS,
  'jwt-ed25519': ED_ALGS,
};

export function isKeyKind(value: string): value is KeyKind {
  return (KEY_KINDS as readonly string[]).includes(value);
}

export function isAsymmetric(kind: KeyKind): boolean {
  return kind === 'jwt-rsa' || kind === 'jwt-ec' || kind === 'jwt-ed25519';
}
