// Custodians as the user names them: `NAME` or `NAME=age1...` (their age X25519 recipient, so their share is encrypted
// to them at creation and the person running create never holds it in the clear).
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isX25519Recipient } from './age-crypto.js';
import { CUSTODIAN_NAME_PATTERN } from './bundle-model.js';

export interface CustodianSpec {
  name: string;
  recipient?: string;
}

export function parseCustodian(spec: string): CustodianSpec {
  const at = spec.indexOf('=');
  const name = (at < 0 ? spec : spec.slice(0, at)).trim();
  const recipient = at < 0 ? undefined : spec.slice(at + 1).trim();
  checkCustodian({ name, ...(recipient !== undefined ? { recipient } : {}) });
  return { name, ...(recipient !== undefined ? { recipient } : {}) };
}

export function checkCustodian(c: CustodianSpec): void {
  if (!CUSTODIAN_NAME_PATTERN.test(c.name))
    throw new KeyturnError(
      'invalid-input',
      "A custodian's name is 1-64 letters, digits, spaces and . _ ' -, starting with a letter or digit (e.g. --custodian alice=age1...).",
    );
  if (c.recipient !== undefined && !isX25519Recipient(c.recipient))
    throw new KeyturnError(
      'invalid-input',
      `The recipient given for custodian ${c.name} is not an age X25519 public key (age1... as age-keygen prints it); post-quantum and plugin recipients are not supported.`,
    );
}

/** The custodians of a new set: as given (their count is n), or "custodian 1".."custodian n" when none are named. */
export function custodiansFor(specs: CustodianSpec[], shares: number | undefined): CustodianSpec[] {
  for (const c of specs) checkCustodian(c);
  const n = shares ?? specs.length;
  if (specs.length > 0 && specs.length !== n)
    throw new KeyturnError(
      'invalid-input',
      `${specs.length} custodians were named for ${n} shares; name one custodian per share, or none.`,
    );
  const names = new Set(specs.map((c) => c.name.toLowerCase()));
  if (names.size !== specs.length)
    throw new KeyturnError('invalid-input', 'Two custodians have the same name; each share needs its own custodian.');
  return specs.length > 0 ? specs : Array.from({ length: n }, (_, i) => ({ name: `custodian ${i + 1}` }));
}

/** A file-name-safe form of a custodian's name ("Ana María" -> "ana-mar-a"). */
export function custodianSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'custodian'
  );
}
