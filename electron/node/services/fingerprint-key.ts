// The per-installation key that fingerprints are keyed with (HMAC-SHA256): 32 random bytes in the OS keychain beside
// the keys, under an account no key can have (`<name>@v<n>` always holds an "@"), and named in the inventory by an id,
// so a lost or swapped key is reported instead of silently replaced. Also the one-time migration of inventories
// written before keyed fingerprints: their unkeyed digests are keyed in place, no value read.
import { createHmac, randomBytes } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { Inventory } from '../../../shared/domain/inventory.js';
import { isUnkeyedFingerprint, keyedFingerprint } from '../crypto/fingerprint.js';
import type { Keychain } from '../keychain/keychain.js';

export const FINGERPRINT_KEY_ACCOUNT = 'keyturn-fingerprint-key';

/** A short id of the key (an HMAC of a constant under it): shows which key an inventory was made with, reveals nothing. */
export function fingerprintKeyId(key: Uint8Array): string {
  return createHmac('sha256', key).update('keyturn-fingerprint-key-id', 'utf8').digest().subarray(0, 9).toString('base64url');
}

/** The installation key, created on first use. Call under the KEYTURN_HOME lock, so two processes never make two. */
export async function loadFingerprintKey(keychain: Keychain, inventory: Inventory, signal?: AbortSignal): Promise<Buffer> {
  const stored = await keychain.get(FINGERPRINT_KEY_ACCOUNT, signal);
  const expected = inventory.fingerprintKey?.id;
  if (stored !== null) {
    const key = Buffer.from(stored, 'base64url');
    if (expected !== undefined && fingerprintKeyId(key) !== expected) throw lost('holds a different fingerprint key than');
    return key;
  }
  if (expected !== undefined) throw lost('no longer holds the fingerprint key of');
  const key = randomBytes(32);
  await keychain.set(FINGERPRINT_KEY_ACCOUNT, key.toString('base64url'), signal);
  if ((await keychain.get(FINGERPRINT_KEY_ACCOUNT, signal)) !== key.toString('base64url')) {
    throw new KeyturnError(
      'io',
      `The keychain did not return Keyturn's new fingerprint key (${FINGERPRINT_KEY_ACCOUNT}); check that it is unlocked and writable.`,
    );
  }
  return key;
}

function lost(what: string): KeyturnError {
  return new KeyturnError(
    'changed-outside',
    `The keychain ${what} this inventory (entry ${FINGERPRINT_KEY_ACCOUNT}): it was removed or changed outside Keyturn, or the keyring is locked. Unlock the keyring, or restore the entry from a keychain backup; without it Keyturn cannot check that stored values are unchanged.`,
  );
}

export interface Migration {
  inventory: Inventory;
  /** Versions whose unkeyed fingerprint was replaced. */
  keyed: number;
  /** Of those, versions Keyturn generated itself (per the audit log), which keep their old form as the public one. */
  publicKept: number;
}

/**
 * Replaces every unkeyed `sha256:` fingerprint with its keyed form. The old digest stays only as `publicFingerprint`
 * of versions Keyturn generated (random by construction); an imported value may be a guessable password.
 */
export function migrateFingerprints(inventory: Inventory, key: Uint8Array, generated: ReadonlySet<string>): Migration {
  let keyed = 0;
  let publicKept = 0;
  const keys = inventory.keys.map((record) => ({
    ...record,
    versions: record.versions.map((v) => {
      if (!isUnkeyedFingerprint(v.fingerprint)) return v;
      keyed += 1;
      const { publicFingerprint: _old, ...rest } = v;
      const next = { ...rest, fingerprint: keyedFingerprint(key, v.fingerprint) };
      if (!generated.has(`${record.name}@v${v.version}`)) return next;
      publicKept += 1;
      return { ...next, publicFingerprint: v.fingerprint };
    }),
  }));
  return { inventory: { ...inventory, keys, fingerprintKey: { id: fingerprintKeyId(key) } }, keyed, publicKept };
}

export function needsFingerprintMigration(inventory: Inventory): boolean {
  return inventory.keys.some((k) => k.versions.some((v) => isUnkeyedFingerprint(v.fingerprint)));
}
