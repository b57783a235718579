// What the Generate form offers per kind of key: algorithms, sizes and their defaults, from shared/domain/key-kinds.
import {
  ALGS_BY_KIND,
  DEFAULT_ALG,
  HMAC_MIN_BYTES,
  RSA_BITS,
  RSA_DEFAULT_BITS,
  SECRET_DEFAULT_BYTES,
  type HmacAlg,
  type KeyKind,
} from '../../../../shared/domain/key-kinds.js';
import type { GenerateRequest } from '../../../../shared/domain/generated-key.js';

export const KIND_LABELS: Record<KeyKind, string> = {
  fernet: 'Fernet key (Python cryptography)',
  secret: 'Random secret (like secrets.token_urlsafe)',
  'jwt-hmac': 'JWT HMAC secret (HS256/384/512)',
  'jwt-rsa': 'JWT RSA key pair (RS*/PS*)',
  'jwt-ec': 'JWT EC key pair (ES256/384/512)',
  'jwt-ed25519': 'JWT Ed25519 key pair (EdDSA)',
};

export interface SizeChoice {
  field: 'bits' | 'bytes';
  values: number[];
  default: number;
  unit: string;
}

const SECRET_BYTES = [32, 48, 64];

export function algsFor(kind: KeyKind): readonly string[] {
  return ALGS_BY_KIND[kind];
}

export function defaultAlg(kind: KeyKind): string | undefined {
  return DEFAULT_ALG[kind];
}

/** The size control for a kind, or undefined when the size follows from the kind or algorithm. */
export function sizeChoiceFor(kind: KeyKind, alg: string | undefined): SizeChoice | undefined {
  if (kind === 'secret') return { field: 'bytes', values: SECRET_BYTES, default: SECRET_DEFAULT_BYTES, unit: 'bytes' };
  if (kind === 'jwt-hmac') {
    const min = HMAC_MIN_BYTES[(alg ?? 'HS256') as HmacAlg] ?? 32;
    const values = SECRET_BYTES.filter((b) => b >= min);
    return { field: 'bytes', values, default: min, unit: 'bytes' };
  }
  if (kind === 'jwt-rsa') return { field: 'bits', values: [...RSA_BITS], default: RSA_DEFAULT_BITS, unit: 'bits' };
  return undefined;
}

export function fixedSizeNote(kind: KeyKind, alg: string | undefined): string {
  if (kind === 'fernet') return '256 bits: 128-bit AES key plus 128-bit HMAC key, fixed by the Fernet spec.';
  if (kind === 'jwt-ec') return `Curve follows the algorithm (${alg === 'ES512' ? 'P-521' : alg === 'ES384' ? 'P-384' : 'P-256'}).`;
  if (kind === 'jwt-ed25519') return 'Ed25519 keys are 256 bits.';
  return '';
}

export interface GenerateFormState {
  kind: KeyKind;
  alg: string | undefined;
  size: number | undefined;
  name: string;
  envVar: string;
}

export function initialFormState(kind: KeyKind = 'fernet', name = '', envVar = ''): GenerateFormState {
  const alg = defaultAlg(kind);
  return { kind, alg, size: sizeChoiceFor(kind, alg)?.default, name, envVar };
}

export function toRequest(state: GenerateFormState): GenerateRequest {
  const req: GenerateRequest = { kind: state.kind };
  if (state.alg) req.alg = state.alg;
  const choice = sizeChoiceFor(state.kind, state.alg);
  if (choice && state.size !== undefined) req[choice.field] = state.size;
  return req;
}
