// Generates every kind of key Keyturn offers, from node:crypto's CSPRNG only, in the text forms other tools read.
import { generateKeyPair, randomBytes } from 'node:crypto';
import type { GeneratedKey, GenerateRequest } from '../../../shared/domain/generated-key.js';
import { generateFernetKey } from './fernet.js';
import { fingerprintOf } from './fingerprint.js';
import { resolveKeyParams, type KeyParams } from './generate-params.js';

const PEM = { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } } as const;

type PairSpec = { type: 'rsa'; modulusLength: number } | { type: 'ec'; namedCurve: string } | { type: 'ed25519' };

/** node:crypto's generateKeyPair (off the main thread) with PKCS#8 / SPKI PEM output. */
function pemPair(spec: PairSpec): Promise<{ secret: string; publicPem: string }> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: string, privateKey: string): void => {
      if (error) reject(error);
      else resolve({ secret: privateKey, publicPem: publicKey });
    };
    if (spec.type === 'rsa') generateKeyPair('rsa', { modulusLength: spec.modulusLength, publicExponent: 0x10001, ...PEM }, done);
    else if (spec.type === 'ec') generateKeyPair('ec', { namedCurve: spec.namedCurve, ...PEM }, done);
    else generateKeyPair('ed25519', PEM, done);
  });
}

async function material(params: KeyParams): Promise<{ secret: string; publicPem?: string }> {
  switch (params.kind) {
    case 'fernet':
      return { secret: generateFernetKey() };
    case 'secret':
    case 'jwt-hmac':
      // Same text as Python's secrets.token_urlsafe(n): base64url of n random bytes, no padding.
      return { secret: randomBytes(params.bytes).toString('base64url') };
    case 'jwt-rsa':
      return pemPair({ type: 'rsa', modulusLength: params.bits });
    case 'jwt-ec':
      return pemPair({ type: 'ec', namedCurve: params.curve });
    case 'jwt-ed25519':
      return pemPair({ type: 'ed25519' });
  }
}

/**
 * Validates the request (invalid-input for unknown kinds/algorithms/sizes, weak-parameter for RSA below 2048 bits or
 * HMAC secrets shorter than the hash) and generates a new key with its safe-to-show metadata.
 */
export async function generateKey(opts: GenerateRequest): Promise<GeneratedKey> {
  const params = resolveKeyParams(opts);
  const { secret, publicPem } = await material(params);
  const alg = 'alg' in params ? params.alg : undefined;
  return {
    kind: params.kind,
    ...(alg ? { alg } : {}),
    size: params.size,
    fingerprint: fingerprintOf(params.kind, secret),
    created: new Date().toISOString(),
    secret,
    ...(publicPem ? { publicPem } : {}),
  };
}
