// Handlers of the keys feature: the inventory and the audited actions on stored keys.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeysContract } from '../../../shared/ipc/features/keys.js';
import { copyToClipboard } from './copy-to-clipboard.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function keysHandlers({ services, host }: HandlerDeps): FeatureHandlers<KeysContract> {
  const { vault } = services;
  return {
    listKeys: () => vault.list(),
    revealKey: (req, signal) => vault.reveal(req, { reason: 'reveal', signal }),
    copyKey: async (req, signal) => copyToClipboard(host, (await vault.reveal(req, { reason: 'copy', signal })).value),
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
