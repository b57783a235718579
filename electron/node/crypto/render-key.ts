// Renders a generated key in each output format (text, json, env, pem, jwk, jwks); refuses formats that do not fit.
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { FORMATS_BY_KIND, formatFits } from '../../../shared/domain/export-formats.js';
import { OUTPUT_FORMATS, type GeneratedKey, type OutputFormat } from '../../../shared/domain/generated-key.js';
import { isEnvVarName } from '../../../shared/domain/env-var-name.js';
import { isAsymmetric, type KeyKind } from '../../../shared/domain/key-kinds.js';

const DEFAULT_ENV_VAR: Record<KeyKind, string> = {
  fernet: 'FERNET_KEY',
  secret: 'SECRET_KEY',
  'jwt-hmac': 'JWT_SECRET',
  'jwt-rsa': 'JWT_PRIVATE_KEY',
  'jwt-ec': 'JWT_PRIVATE_KEY',
  'jwt-ed25519': 'JWT_PRIVATE_KEY',
};

const WHY_UNFIT: Partial<Record<OutputFormat, string>> = {
  pem: 'PEM holds RSA, EC and Ed25519 key pairs',
  jwk: 'JWK holds JWT signing keys',
  jwks: 'a JWKS publishes public keys, and this kind has none',
};

function unfit(format: OutputFormat, kind: KeyKind): KeyturnError {
  return new KeyturnError(
    'invalid-input',
    `--format ${format} does not fit ${kind} keys (${WHY_UNFIT[format] ?? 'not a format for this kind'}); use ${FORMATS_BY_KIND[kind].join(', ')}.`,
  );
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
  if (!isEnvVarName(name))
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
  if ((OUTPUT_FORMATS as readonly string[]).includes(format) && !formatFits(key.kind, format)) throw unfit(format, key.kind);
  switch (format) {
    case 'text':
      return withNewline(key.secret);
    case 'json':
      return jsonDocument(key);
    case 'env':
      return envLine(key, opts.envVar);
    case 'pem': {
      const publicPem = key.publicPem ?? (createPublicKey(privateKeyOf(key)).export({ type: 'spki', format: 'pem' }) as string);
      return withNewline(key.secret) + withNewline(publicPem);
    }
    case 'jwk':
      return `${JSON.stringify(await signingJwk(key, 'private'), null, 2)}\n`;
    case 'jwks':
      // A JWKS is published; an HMAC secret in it would be a leak, so only key pairs have one (export-formats.ts).
      return `${JSON.stringify({ keys: [await signingJwk(key, 'public')] }, null, 2)}\n`;
    default:
      throw new KeyturnError(
        'invalid-input',
        `Unknown output format ${JSON.stringify(String(format).slice(0, 20))}; choose text, json, env, pem, jwk or jwks.`,
      );
  }
}
