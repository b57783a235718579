// Fernet keys from the OS keychain for `keyturn fernet ... --key NAME[@vN] [--old-key NAME[@vN]]`. A bare NAME means
// its current version first (which encrypts), then its retiring versions (which still decrypt); every read is audited.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { parseKeyRef } from '../../../shared/domain/key-names.js';
import { Fernet } from '../../node/crypto/fernet.js';
import type { VaultService } from '../../node/services/vault-service.js';

/** Versions a reference stands for: NAME@vN exactly that one; NAME the current, then retiring ones, newest first. */
async function versionsOf(vault: VaultService, ref: string): Promise<{ name: string; versions: number[] }> {
  const { name, version } = parseKeyRef(ref.trim());
  const record = await vault.show(name);
  if (record.kind !== 'fernet')
    throw new KeyturnError('invalid-key', `${name} is a ${record.kind} key, not a Fernet key; pick a key stored with kind fernet.`);
  if (version !== undefined) return { name, versions: [version] };
  const retiring = record.versions
    .filter((v) => v.status === 'retiring')
    .map((v) => v.version)
    .sort((a, b) => b - a);
  return { name, versions: [record.current, ...retiring] };
}

/**
 * Fernet instances for a comma-separated list of key references, in order. `currentOnly` (encrypt) skips the retiring
 * versions of a bare NAME: only the first key encrypts, so the others need not leave the keychain.
 */
export async function fernetKeysFromVault(
  vault: VaultService,
  refs: string,
  purpose: string,
  currentOnly = false,
  signal?: AbortSignal,
): Promise<Fernet[]> {
  const keys: Fernet[] = [];
  for (const ref of refs.split(',')) {
    const { name, versions } = await versionsOf(vault, ref);
    for (const version of currentOnly ? versions.slice(0, 1) : versions) {
      const { value } = await vault.reveal({ name, version }, { reason: 'use', signal, target: purpose });
      keys.push(new Fernet(value));
    }
  }
  return keys;
}
