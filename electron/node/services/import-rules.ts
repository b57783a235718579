// What Keyturn accepts as a stored key: a value of its kind that Keyturn could have generated itself, so that
// `keys rotate` can make the next version like it. URLs, passwords, published examples and weak values are refused.
import { createPrivateKey } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRecord } from '../../../shared/domain/inventory.js';
import { HMAC_MIN_BYTES, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { findPublicExample } from '../../../shared/envcheck/public-examples.js';
import { weakKeyBytesReason, weakSecretReason } from '../../../shared/envcheck/strength.js';
import { checkFernetKey, decodeFernetKeyText } from '../../../shared/formats/fernet-format.js';

/** Secrets shorter than this many characters are passwords, not keys (16 random bytes take 22 base64 characters). */
const MIN_SECRET_CHARS = 20;

function rsaBits(pem: string): number | null {
  try {
    return createPrivateKey(pem).asymmetricKeyDetails?.modulusLength ?? null;
  } catch {
    return null;
  }
}

function refuse(sentence: string): KeyturnError {
  return new KeyturnError('invalid-key', sentence);
}

/**
 * Throws invalid-key, with a sentence saying why and what to do, unless `value` is a key of `kind` that Keyturn
 * could have made. Describes the value, never quotes it.
 */
export function checkKeyValue(kind: KeyKind, value: string, where: string): void {
  const published = findPublicExample(value);
  if (published)
    throw refuse(
      `${where} is the example key printed in ${published.source}; anyone can read it, so it is not worth keeping. Generate a fresh one with \`keyturn generate\`.`,
    );
  const text = value.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text))
    throw refuse(
      `${where} is a URL (a connection string), not a key: Keyturn keeps keys it can generate and rotate. Leave the URL in the .env file; \`keyturn env check\` tells you if its password is weak.`,
    );
  switch (kind) {
    case 'fernet': {
      const verdict = checkFernetKey(text);
      if (!verdict.ok) throw refuse(`${where} is not a Fernet key: ${verdict.reason}.`);
      const decoded = decodeFernetKeyText(text);
      const weak = decoded.ok ? weakKeyBytesReason(decoded.key) : null;
      if (weak) throw refuse(`${where} is a Fernet key that ${weak}; generate a fresh one.`);
      return;
    }
    case 'secret':
    case 'jwt-hmac': {
      if (/-----BEGIN /.test(text)) throw refuse(`${where} is a PEM block; import it with --type jwt-rsa, jwt-ec or jwt-ed25519.`);
      if (/[\r\n]/.test(text)) throw refuse(`${where} spans several lines; a secret is one line of random characters.`);
      const min = kind === 'jwt-hmac' ? HMAC_MIN_BYTES.HS256 : MIN_SECRET_CHARS;
      const bytes = new TextEncoder().encode(text).length;
      if (bytes < min)
        throw refuse(
          `${where} is too short for a ${kind === 'jwt-hmac' ? 'JWT HMAC key' : 'random secret'} (${bytes} bytes; at least ${min}): it looks like a password, which Keyturn cannot generate or rotate.`,
        );
      const weak = weakSecretReason(text, 0);
      if (weak)
        throw refuse(`${where} ${weak}; Keyturn keeps random keys it could rotate. Generate one with \`keyturn generate ${kind}\`.`);
      return;
    }
    case 'jwt-rsa': {
      // Other PEM checks (readable, the right type and curve) happen when the engine sizes the key for the inventory.
      const bits = rsaBits(text);
      if (bits !== null && bits < 2048)
        throw refuse(
          `${where} is an RSA key of ${bits} bits; below 2048 bits RSA is too weak to keep. Generate one with \`keyturn generate jwt-rsa\`.`,
        );
      return;
    }
    default:
      return;
  }
}

/**
 * Whether `keys rotate` must look at the current value first: a secret or HMAC key that Keyturn did not generate (or
 * that an older inventory does not say it did) may be a URL or a password stored by an older Keyturn, which a random
 * string would replace. Generated keys, Fernet keys and PEM keys are what their kind says.
 */
export function needsValueCheck(record: KeyRecord): boolean {
  const current = record.versions.find((v) => v.version === record.current);
  return (record.kind === 'secret' || record.kind === 'jwt-hmac') && current?.origin !== 'generated';
}

/** Refuses (code refused) to rotate a key whose current value is not one Keyturn could have made. */
export function assertRemakeable(record: KeyRecord, value: string): void {
  try {
    checkKeyValue(record.kind, value, `${record.name}@v${record.current}`);
  } catch (error) {
    if (!(error instanceof KeyturnError)) throw error;
    throw new KeyturnError(
      'refused',
      `Keyturn cannot make a new version of ${record.name}: ${error.message.replace(/ Generate .*$/, '')} Change it where it is issued, then import the new value with --add-version.`,
    );
  }
}

/** The generator refused the record's parameters (a 4-byte secret, an RSA size it does not make): say so as a refusal. */
export function cannotRemake(record: KeyRecord, error: unknown): unknown {
  if (!(error instanceof KeyturnError)) return error;
  const size = record.versions.find((v) => v.version === record.current)?.size;
  return new KeyturnError(
    'refused',
    `Keyturn cannot make a new version like ${record.name}@v${record.current} (${record.kind}${size ? `, ${size} bits` : ''}): ${error.message}`,
  );
}
