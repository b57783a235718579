// Handlers of the keys feature: the inventory and the audited actions on stored keys; a value reaches the page only
// after the host's release gate (a native dialog, or a code from keyturn serve's terminal).
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import type { Confirmable } from '../../../shared/ipc/features/confirmable.js';
import type { KeysContract } from '../../../shared/ipc/features/keys.js';
import { copyToClipboard } from './copy-to-clipboard.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function keysHandlers({ services, host }: HandlerDeps): FeatureHandlers<KeysContract> {
  const { vault } = services;
  /** The exact version the user confirms (the current one is resolved first, so a rotation in between changes nothing). */
  async function confirmed(req: KeyRef & Confirmable, action: 'reveal' | 'copy', signal?: AbortSignal): Promise<Required<KeyRef>> {
    const version = req.version ?? (await vault.show(req.name)).current;
    await host.release.confirm(
      { action, subject: `${req.name} v${version}`, target: `key:${req.name}@v${version}` },
      req.confirmation,
      signal,
    );
    return { name: req.name, version };
  }
  return {
    listKeys: () => vault.list(),
    revealKey: async (req, signal) => vault.reveal(await confirmed(req, 'reveal', signal), { reason: 'reveal', signal }),
    copyKey: async (req, signal) =>
      copyToClipboard(host, (await vault.reveal(await confirmed(req, 'copy', signal), { reason: 'copy', signal })).value),
    rotateKey: (req, signal) => vault.rotate(req.name, signal),
    retireKeyVersion: (req, signal) => vault.retire(req.name, req.version, true, signal),
    deleteKey: async (req, signal) => {
      if (req.confirmName !== req.name) {
        throw new KeyturnError('refused', `Type the key name "${req.name}" exactly to confirm; nothing was deleted.`);
      }
      await vault.delete(req.name, true, signal);
      return { deleted: req.name };
    },
  };
}
