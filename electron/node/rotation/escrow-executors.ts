// The plan's escrow step runs through the escrow service when the key already has a bundle: a new bundle version
// sealed to the custodians' set (no share needed), holding the bundle's keys at their current versions. It must hold
// the version the plan added, or the step fails. A first escrow needs custodians present and stays manual.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { ref } from '../../../shared/rotation/commands.js';
import type { EscrowService } from '../services/escrow-service.js';
import type { VaultService } from '../services/vault-service.js';
import type { ExecutorRegistry } from './step-executors.js';

export function escrowExecutors(deps: { escrow: () => EscrowService; vault: () => VaultService }): ExecutorRegistry {
  return {
    'escrow-update': {
      mode: 'inline',
      async run(a, ctx) {
        const wanted = ref(a.key, a.version);
        if (a.bundle === undefined)
          throw new KeyturnError(
            'refused',
            `A first escrow of ${a.key} needs its custodians present; do it by hand (keyturn escrow create).`,
          );
        // Checked before sealing, so a step run too early adds no bundle version that misses the new key.
        const info = await deps.escrow().inspect(a.bundle);
        if (!info.versions.at(-1)!.keys.some((k) => k.name === a.key))
          throw new KeyturnError(
            'refused',
            `The escrow bundle ${a.bundle} does not hold ${a.key}; add it with keyturn escrow create or rekey.`,
          );
        const current = (await deps.vault().show(a.key)).current;
        if (current !== a.version)
          throw new KeyturnError(
            'refused',
            `${a.key} is at v${current} in the keychain, but this step escrows ${wanted}: run the step that adds ${wanted} first.`,
          );
        const added = await deps.escrow().addVersion({ bundle: a.bundle, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        if (!added.keys.some((k) => k.name === a.key && k.version === a.version))
          throw new KeyturnError(
            'check-failed',
            `Bundle version ${added.version} of ${a.bundle} does not hold ${wanted}; the escrow still lacks the new version.`,
          );
        const keys = added.keys.map((k) => ref(k.name, k.version)).join(', ');
        return `Escrow bundle ${a.bundle} version ${added.version} holds ${keys}; no share was needed.`;
      },
    },
  };
}
