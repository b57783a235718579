// Restoring escrowed keys into the keychain: each as a new version through the vault (audited there), after checking
// every key first so a refusal never leaves half a bundle imported; a value already stored is left as it is.
import type { RestoredKey } from '../../../shared/domain/escrow.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRecord } from '../../../shared/domain/inventory.js';
import { describeKey } from '../crypto/fingerprint.js';
import type { EscrowKey } from '../escrow/bundle-model.js';
import type { VaultService } from './vault-service.js';

/** New keychain versions through the vault; a key whose value is already stored (same fingerprint) is left alone. */
export async function importKeys(
  vault: Pick<VaultService, 'show' | 'store' | 'fingerprint'>,
  keys: EscrowKey[],
  signal?: AbortSignal,
): Promise<RestoredKey[]> {
  const records = new Map<string, KeyRecord | undefined>();
  for (const key of keys) {
    const existing = await vault.show(key.name).catch((error: unknown) => {
      if (error instanceof KeyturnError && error.code === 'not-found') return undefined;
      throw error;
    });
    // Checked for every key before the first is stored, so a refusal never leaves half the bundle imported.
    if (existing && (existing.kind !== key.kind || (existing.alg && key.alg && existing.alg !== key.alg)))
      throw new KeyturnError(
        'refused',
        `The keychain's ${key.name} holds ${existing.alg ?? existing.kind} keys but the bundle's is ${key.alg ?? key.kind}; nothing was imported. Restore to a file (--out) instead, or rename the key in the keychain first.`,
      );
    records.set(key.name, existing);
  }
  const out: RestoredKey[] = [];
  for (const key of keys) {
    const existing = records.get(key.name);
    // The bundle's fingerprints are not this installation's keyed ones: compare in this installation's form.
    const here = existing ? await vault.fingerprint(key.kind, key.value, signal) : undefined;
    const present = existing?.versions.find((v) => v.fingerprint === here && v.status !== 'retired');
    if (present) {
      out.push({
        name: key.name,
        version: key.version,
        fingerprint: key.fingerprint,
        keychainVersion: present.version,
        outcome: 'already-present',
      });
      continue;
    }
    const described = describeKey(key.kind, key.value);
    const stored = await vault.store(
      {
        name: key.name,
        addVersion: true,
        key: {
          kind: key.kind,
          ...(key.alg ? { alg: key.alg } : {}),
          size: described.size,
          fingerprint: key.fingerprint, // the vault keys its own from the value
          created: key.created,
          secret: key.value,
        },
      },
      signal,
    );
    out.push({
      name: key.name,
      version: key.version,
      fingerprint: key.fingerprint,
      keychainVersion: stored.version,
      outcome: 'imported',
    });
  }
  return out;
}
