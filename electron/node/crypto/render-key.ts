// Renders a generated key in each output format (text, json, env, pem, jwk, jwks); refuses formats that do not fit.
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey, OutputFormat } from '../../../shared/domain/generated-key.js';
import { isAsymmetric, type KeyKind } from '../../../shared/domain/key-kinds.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_ENV_VAR: Record<KeyKind, string> = {
  fernet: 'FERNET_KEY',
  secret: 'SECRET_KEY',
  'jwt-hmac': 'JWT_SECRET',
  'jwt-rsa': 'JWT_PRIVATE_KEY',
  'jwt-ec': 'JWT_PRIVATE_KEY',
  'jwt-ed25519': 'JWT_PRIVATE_KEY',
};

function unfit(format: OutputFormat, kind: KeyKind, fits: string): KeyturnError {
  return new KeyturnError('invalid-input', `--format ${format} does not fit ${kind} keys (${fits}); use text, env or json.`);
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function privateKeyOf(key: GeneratedKey): KeyObject {
  try {
    return createPrivateKey({ key: key.secret, format: 'pem' });
  } catch {
    throw new KeyturnError('invalid-key', `The stored ${key.kind} value is not a readable PEM private key; generate or import it again.`);
  }
}

/** A signing JWK: RFC 7517 members plus `alg`, `use: "sig"` and `kid` = RFC 7638 thumbprint of the public part. */
async function signingJwk(key: GeneratedKey, which: 'private' | 'public'): Promise<JWK> {
  let jwk: JWK;
  let kid: string;
  if (key.kind === 'jwt-hmac') {
    jwk = await exportJWK(createSecretKey(Buffer.from(key.secret, 'base64url')));
    kid = await calculateJwkThumbprint(jwk, 'sha256');
  } else {
    const privateKey = privateKeyOf(key);
    const publicJwk = await exportJWK(createPublicKey(privateKey));
    kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    jwk = which === 'private' ? await exportJWK(privateKey) : publicJwk;
  }
  return { ...jwk, ...(key.alg ? { alg: key.alg } : {}), use: 'sig', kid };
}

function envLine(key: GeneratedKey, envVar: string | undefined): string {
  const name = envVar ?? DEFAULT_ENV_VAR[key.kind];
  if (!ENV_NAME.test(name))
    throw new KeyturnError(
      'invalid-input',
      `--env-var must be a variable name (letters, digits, _; not starting with a digit), not ${JSON.stringify(name.slice(0, 40))}.`,
    );
  // A PEM spans lines: double quotes with \n escapes are read back as newlines by dotenv, python-dotenv and docker.
  const value = isAsymmetric(key.kind) ? `"${key.secret.replace(/\n/g, '\\n')}"` : key.secret;
  return `${name}=${value}\n`;
}

async function jsonDocument(key: GeneratedKey): Promise<string> {
  const kid = isAsymmetric(key.kind) ? (await signingJwk(key, 'public')).kid : undefined;
  const doc = {
    kind: key.kind,
    ...(key.alg ? { alg: key.alg } : {}),
    size: key.size,
    fingerprint: key.fingerprint,
    created: key.created,
    ...(kid ? { kid } : {}),
    secret: key.secret,
    ...(key.publicPem ? { publicPem: key.publicPem } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The key as text in `format`, ending in a newline: `text` the value itself; `json` value plus metadata; `env` one
 * `NAME=value` line; `pem` PKCS#8 private then SPKI public; `jwk` the private signing JWK; `jwks` public keys only.
 * Throws invalid-input when the format does not fit the kind (pem for a Fernet key, jwks for an HMAC secret, ...).
 */
export async function renderKey(key: GeneratedKey, format: OutputFormat, opts: { envVar?: string } = {}): Promise<string> {
  switch (format) {
    case 'text':
      return withNewline(key.secret);
    case 'json':
      return jsonDocument(key);
    case 'env':
      return envLine(key, opts.envVar);
    case 'pem': {
      if (!isAsymmetric(key.kind)) throw unfit(format, key.kind, 'PEM holds RSA, EC and Ed25519 key pairs');
      const publicPem = key.publicPem ?? (createPublicKey(privateKeyOf(key)).export({ type: 'spki', format: 'pem' }) as string);
      return withNewline(key.secret) + withNewline(publicPem);
    }
    case 'jwk':
      if (!isAsymmetric(key.kind) && key.kind !== 'jwt-hmac') throw unfit(format, key.kind, 'JWK holds JWT signing keys');
      return `${JSON.stringify(await signingJwk(key, 'private'), null, 2)}\n`;
    case 'jwks':
      // A JWKS is published; an HMAC secret in it would be a leak, so only public keys qualify.
      if (!isAsymmetric(key.kind)) throw unfit(format, key.kind, 'a JWKS publishes public keys, and this kind has none');
      return `${JSON.stringify({ keys: [await signingJwk(key, 'public')] }, null, 2)}\n`;
    default:
      throw new KeyturnError(
        'invalid-input',
        `Unknown output format ${JSON.stringify(String(format).slice(0, 20))}; choose text, json, env, pem, jwk or jwks.`,
      );
  }
}
