// Handlers of the generate feature: drafts stay in the host; the page gets metadata, the value only on export or copy.
import type { GenerateContract } from '../../../shared/ipc/features/generate.js';
import { copyToClipboard } from './copy-to-clipboard.js';
import type { FeatureHandlers, HandlerDeps } from './handler-types.js';

export function generateHandlers({ services, host, drafts }: HandlerDeps): FeatureHandlers<GenerateContract> {
  return {
    generateKey: async (req) => {
      const key = await services.generate.generate(req);
      const { secret: _secret, publicPem: _publicPem, ...metadata } = key;
      return { draftId: drafts.add(key), metadata, formats: services.generate.formatsFor(key.kind) };
    },
    exportDraft: (req) => services.generate.export(drafts.get(req.draftId), req.format, req.envVar ? { envVar: req.envVar } : {}),
    copyDraft: async (req) => copyToClipboard(host, drafts.get(req.draftId).secret),
    storeDraft: async (req, signal) => {
      const key = drafts.get(req.draftId);
      const { draftId: _id, ...rest } = req;
      return services.vault.store({ ...rest, key }, signal);
    },
    discardDraft: async (req) => ({ discarded: drafts.delete(req.draftId) }),
  };
}
