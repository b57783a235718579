// Handlers of the escrow feature: every path confined by the host; shares held in the host (ShareStore) and referred
// to by id, so no share and no key value is ever in a response.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { MAX_SHARE_IMAGE_BASE64, type EscrowContract } from '../../../shared/ipc/features/escrow.js';
import { encodeShare } from '../escrow/share-codec.js';
import type { ShareSource } from '../escrow/share-input.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';
import { ShareStore } from './share-store.js';

export function escrowHandlers({ services, host }: HandlerDeps, store = new ShareStore()): FeatureHandlers<EscrowContract> {
  const held = (ids: string[]): ShareSource[] =>
    ids.map((id) => {
      const { share, label } = store.get(id);
      return { kind: 'text', text: encodeShare(share), label };
    });
  return {
    escrowCreate: async (req, signal) =>
      services.escrow.create({
        keys: req.keys,
        threshold: req.threshold,
        custodians: req.custodians,
        outDir: await host.paths.confine(req.outDir),
        ...(signal ? { signal } : {}),
      }),
    escrowInspect: async (req) => services.escrow.inspect(await host.paths.confine(req.bundle)),
    escrowAddShare: async (req) => {
      if (req.kind === 'image' && req.base64.length > MAX_SHARE_IMAGE_BASE64)
        throw new KeyturnError('invalid-input', 'The image is too large; scan or photograph the QR code at a lower resolution.');
      const source: ShareSource =
        req.kind === 'text'
          ? { kind: 'text', text: req.text, label: 'typed' }
          : { kind: 'bytes', name: req.name, bytes: new Uint8Array(Buffer.from(req.base64, 'base64')) };
      const { share } = await services.escrow.readShare(source);
      const label = req.kind === 'text' ? `typed share ${share.index}` : `scan ${req.name.slice(0, 64)}`;
      const shareId = store.add({ share, label });
      const { bundleId, set, index, threshold, shares } = share;
      return { shareId, label, bundleId, set, index, threshold, shares };
    },
    escrowDiscardShares: async (req) => ({ discarded: req.shareIds.filter((id) => store.delete(id)).length }),
    escrowVerify: async (req, signal) =>
      services.escrow.verify({ bundle: await host.paths.confine(req.bundle), shares: held(req.shareIds), ...(signal ? { signal } : {}) }),
    escrowRestore: async (req, signal) => {
      const result = await services.escrow.restore({
        bundle: await host.paths.confine(req.bundle),
        shares: held(req.shareIds),
        ...(req.version !== undefined ? { version: req.version } : {}),
        import: req.import === true,
        ...(req.outFile !== undefined ? { outFile: await host.paths.confine(req.outFile) } : {}),
        ...(signal ? { signal } : {}),
      });
      // A finished restore needs the shares no longer: forget them at once rather than after the timeout.
      for (const id of req.shareIds) store.delete(id);
      return result;
    },
  };
}
