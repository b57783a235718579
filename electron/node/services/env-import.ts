// Reads one variable's value out of a .env file (as python-dotenv reads it) and guesses what kind of key it is.
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyKind } from '../../../shared/domain/key-kinds.js';
import { decodeEnvBytes, envValues, parseEnv } from '../../../shared/formats/env-file.js';

export async function readEnvVariable(file: string, variable: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KeyturnError('unreadable-input', `Keyturn cannot read ${file} (${code}); check the path and its permissions.`);
  }
  const values = envValues(parseEnv(decodeEnvBytes(bytes, file)));
  if (!values.has(variable))
    throw new KeyturnError('not-found', `${file} sets no variable ${variable}; check the name (it is case-sensitive).`);
  const value = values.get(variable);
  if (value === null || value === undefined || value.trim() === '')
    throw new KeyturnError('invalid-input', `${variable} in ${file} is empty; there is no key to import.`);
  return value;
}

const FERNET_KEY = /^[A-Za-z0-9_-]{43}=$/;

/** The kind a value most likely is: a Fernet key, a PEM private key of a JWT kind, else a plain secret. */
export function inferKind(value: string): KeyKind {
  const text = value.trim();
  if (FERNET_KEY.test(text) && Buffer.from(text, 'base64url').length === 32) return 'fernet';
  if (/^-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text)) {
    try {
      const type = createPrivateKey(text).asymmetricKeyType;
      if (type === 'rsa' || type === 'rsa-pss') return 'jwt-rsa';
      if (type === 'ec') return 'jwt-ec';
      if (type === 'ed25519') return 'jwt-ed25519';
    } catch {
      throw new KeyturnError(
        'invalid-key',
        'The value looks like a PEM private key but cannot be read; check that it is complete (newlines included).',
      );
    }
    throw new KeyturnError(
      'invalid-key',
      'The value is a private key of a type Keyturn does not handle (RSA, EC P-256/384/521 and Ed25519 are supported).',
    );
  }
  return 'secret';
}
