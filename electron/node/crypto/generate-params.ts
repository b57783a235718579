// Validates what a caller asks to generate and fills in defaults: refuses weak sizes, unknown kinds and algorithms.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GenerateRequest } from '../../../shared/domain/generated-key.js';
import {
  ALGS_BY_KIND,
  DEFAULT_ALG,
  EC_CURVES,
  HMAC_MIN_BYTES,
  KEY_KINDS,
  MAX_SECRET_BYTES,
  RSA_BITS,
  RSA_DEFAULT_BITS,
  SECRET_DEFAULT_BYTES,
  SECRET_MIN_BYTES,
  isKeyKind,
  type EcAlg,
  type HmacAlg,
  type KeyKind,
} from '../../../shared/domain/key-kinds.js';

export type KeyParams =
  | { kind: 'fernet'; size: 256 }
  | { kind: 'secret'; bytes: number; size: number }
  | { kind: 'jwt-hmac'; alg: HmacAlg; bytes: number; size: number }
  | { kind: 'jwt-rsa'; alg: string; bits: number; size: number }
  | { kind: 'jwt-ec'; alg: EcAlg; curve: 'P-256' | 'P-384' | 'P-521'; size: number }
  | { kind: 'jwt-ed25519'; alg: 'EdDSA'; size: 256 };

const EC_BITS: Record<EcAlg, number> = { ES256: 256, ES384: 384, ES512: 521 };

/** Quotes what the user typed, shortened and without control characters, for an error sentence. */
function shown(value: unknown): string {
  return JSON.stringify(
    String(value)
      .replace(/\p{Cc}/gu, '?')
      .slice(0, 40),
  );
}

function invalid(message: string): KeyturnError {
  return new KeyturnError('invalid-input', message);
}

function wholeNumber(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(`${flag} must be a positive whole number, not ${shown(value)}.`);
  return value;
}

function refuseOption(value: unknown, flag: string, kind: KeyKind, hint: string): void {
  if (value !== undefined) throw invalid(`${flag} does not apply to ${kind} keys; ${hint}.`);
}

function resolveAlg(kind: KeyKind, alg: string | undefined): string | undefined {
  const allowed = ALGS_BY_KIND[kind];
  if (alg === undefined) return DEFAULT_ALG[kind];
  if (allowed.length === 0) throw invalid(`--alg does not apply to ${kind} keys; leave it out.`);
  // JOSE names are case-sensitive on the wire, but "hs256" on a command line can only mean one thing.
  const match = allowed.find((a) => a.toLowerCase() === alg.toLowerCase());
  if (!match) throw invalid(`Algorithm ${shown(alg)} does not fit ${kind} keys; choose one of ${allowed.join(', ')}.`);
  return match;
}

/** Turns a request into exact parameters, or throws invalid-input / weak-parameter with a sentence saying what to use. */
export function resolveKeyParams(opts: GenerateRequest): KeyParams {
  const kind: string = opts.kind;
  if (!isKeyKind(kind)) throw invalid(`Unknown key kind ${shown(kind)}; choose one of ${KEY_KINDS.join(', ')}.`);
  const bits = wholeNumber(opts.bits, '--bits');
  const bytes = wholeNumber(opts.bytes, '--bytes');
  const alg = resolveAlg(kind, opts.alg);
  switch (kind) {
    case 'fernet':
      if (bits !== undefined && bits !== 256) throw invalid('Fernet keys are always 256 bits (32 bytes); leave out --bits.');
      if (bytes !== undefined && bytes !== 32) throw invalid('Fernet keys are always 32 bytes; leave out --bytes.');
      return { kind, size: 256 };
    case 'secret': {
      refuseOption(bits, '--bits', kind, 'give the length in --bytes');
      const n = bytes ?? SECRET_DEFAULT_BYTES;
      if (n < SECRET_MIN_BYTES)
        throw new KeyturnError(
          'weak-parameter',
          `A secret of ${n} bytes is too short to be safe; use --bytes ${SECRET_MIN_BYTES} or more (default ${SECRET_DEFAULT_BYTES}).`,
        );
      if (n > MAX_SECRET_BYTES) throw invalid(`--bytes is capped at ${MAX_SECRET_BYTES}; more adds no security.`);
      return { kind, bytes: n, size: n * 8 };
    }
    case 'jwt-hmac': {
      refuseOption(bits, '--bits', kind, 'give the length in --bytes');
      const hmacAlg = alg as HmacAlg;
      const min = HMAC_MIN_BYTES[hmacAlg];
      const n = bytes ?? min;
      if (n < min)
        throw new KeyturnError(
          'weak-parameter',
          `${hmacAlg} needs a secret of at least ${min} bytes (its hash size, RFC 7518 section 3.2); use --bytes ${min} or more.`,
        );
      if (n > MAX_SECRET_BYTES) throw invalid(`--bytes is capped at ${MAX_SECRET_BYTES}; more adds no security.`);
      return { kind, alg: hmacAlg, bytes: n, size: n * 8 };
    }
    case 'jwt-rsa': {
      refuseOption(bytes, '--bytes', kind, 'give the modulus size in --bits');
      const n = bits ?? RSA_DEFAULT_BITS;
      if (n < RSA_BITS[0])
        throw new KeyturnError('weak-parameter', `RSA keys below 2048 bits are refused as too weak; use --bits ${RSA_BITS.join(', ')}.`);
      if (!(RSA_BITS as readonly number[]).includes(n))
        throw invalid(`RSA keys are made with --bits ${RSA_BITS.join(', ')}; ${n} is not one of them.`);
      return { kind, alg: alg as string, bits: n, size: n };
    }
    case 'jwt-ec': {
      refuseOption(bytes, '--bytes', kind, 'the curve follows from --alg');
      // --bits 384 alone picks P-384; with --alg it must agree with the curve.
      let ecAlg = alg as EcAlg;
      if (bits !== undefined && opts.alg === undefined) {
        const byBits = (Object.keys(EC_BITS) as EcAlg[]).find((a) => EC_BITS[a] === bits);
        if (!byBits) throw invalid(`EC keys come in 256, 384 or 521 bits (P-256, P-384, P-521); ${bits} is not one of them.`);
        ecAlg = byBits;
      } else if (bits !== undefined && bits !== EC_BITS[ecAlg]) {
        throw invalid(`${ecAlg} uses ${EC_CURVES[ecAlg]} (${EC_BITS[ecAlg]} bits), not ${bits} bits; leave out --bits or change --alg.`);
      }
      return { kind, alg: ecAlg, curve: EC_CURVES[ecAlg], size: EC_BITS[ecAlg] };
    }
    case 'jwt-ed25519':
      refuseOption(bytes, '--bytes', kind, 'Ed25519 keys have one size');
      if (bits !== undefined && bits !== 256) throw invalid('Ed25519 keys are always 256 bits; leave out --bits.');
      return { kind, alg: 'EdDSA', size: 256 };
  }
}
