// age (the file format of age-encryption.org/v1) on the age-encryption package: X25519 identities only, because their
// 32-byte secret is what a share set splits and because Debian's `age` 1.1 opens them (`age -d -i identity.txt`).
// The scrypt passphrase mode is deliberately unused: it is slow in JS and would put a guessable secret on paper.
import { bech32 } from '@scure/base';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { SECRET_BYTES } from './share-codec.js';

const IDENTITY_PREFIX = 'AGE-SECRET-KEY-';
/** age-encryption is loaded on first use: commands that never touch escrow never load it (see lazy-loading.test.ts). */
const age = () => import('age-encryption');
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';

export interface AgeKeyPair {
  /** `AGE-SECRET-KEY-1...`, the form `age -i` reads. */
  identity: string;
  /** The 32-byte scalar inside the identity. */
  secret: Uint8Array;
  /** `age1...` */
  recipient: string;
}

export async function newAgeKeyPair(): Promise<AgeKeyPair> {
  const { generateX25519Identity, identityToRecipient } = await age();
  const identity = await generateX25519Identity();
  return { identity, secret: secretOfIdentity(identity), recipient: await identityToRecipient(identity) };
}

export function identityOfSecret(secret: Uint8Array): string {
  if (secret.length !== SECRET_BYTES) throw new KeyturnError('internal', 'An X25519 identity holds 32 bytes.');
  return bech32.encodeFromBytes(IDENTITY_PREFIX, secret).toUpperCase();
}

export function secretOfIdentity(identity: string): Uint8Array {
  try {
    const { prefix, bytes } = bech32.decodeToBytes(identity.trim());
    if (prefix.toUpperCase() === IDENTITY_PREFIX && bytes.length === SECRET_BYTES) return bytes;
  } catch {
    // fall through to the one sentence below
  }
  throw new KeyturnError('invalid-key', 'The identity is not an age X25519 identity (AGE-SECRET-KEY-1...).');
}

export async function recipientOfSecret(secret: Uint8Array): Promise<string> {
  return (await age()).identityToRecipient(identityOfSecret(secret));
}

/** True for an age X25519 recipient (`age1` + 32 bytes in bech32); post-quantum and plugin recipients are refused. */
export function isX25519Recipient(text: string): boolean {
  try {
    const { prefix, bytes } = bech32.decodeToBytes(text);
    return prefix === 'age' && bytes.length === 32 && text === text.toLowerCase();
  } catch {
    return false;
  }
}

/** Encrypts to the recipients and returns the ASCII-armored file (`age -d` reads it as is). */
export async function encryptArmored(recipients: string[], plaintext: Uint8Array | string): Promise<string> {
  const { Encrypter, armor } = await age();
  const encrypter = new Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);
  return armor.encode(await encrypter.encrypt(plaintext));
}

export function isArmoredAge(text: string): boolean {
  return text.trimStart().startsWith(ARMOR_BEGIN);
}

/**
 * Decrypts an armored or binary age file with the identities. Every failure (wrong identity, damaged file) is one
 * KeyturnError with `code`, so callers can say what they were opening.
 */
export async function decryptAge(file: Uint8Array | string, identities: string[], what: string): Promise<Uint8Array> {
  const { Decrypter, armor } = await age();
  let raw: Uint8Array;
  try {
    if (typeof file === 'string') raw = armor.decode(file);
    else if (isArmoredAge(new TextDecoder().decode(file.subarray(0, 64)))) raw = armor.decode(new TextDecoder().decode(file));
    else raw = file;
  } catch {
    throw new KeyturnError('unreadable-input', `${what} is not a readable age file (its armor is damaged).`);
  }
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(raw);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/no identity matched/i.test(message))
      throw new KeyturnError('check-failed', `${what} is not encrypted to the given identity.`, { reason: 'no-identity-matched' });
    throw new KeyturnError('check-failed', `${what} could not be decrypted: it is damaged or was altered.`, { reason: 'damaged' });
  }
}

/** The identities in an identity file as age-keygen writes it (comment lines, then AGE-SECRET-KEY-1... lines). */
export function identitiesInFile(text: string, what: string): string[] {
  const found = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.toUpperCase().startsWith(`${IDENTITY_PREFIX}1`));
  for (const identity of found) secretOfIdentity(identity);
  if (found.length === 0) throw new KeyturnError('invalid-key', `${what} holds no age X25519 identity (a line AGE-SECRET-KEY-1...).`);
  return found;
}
