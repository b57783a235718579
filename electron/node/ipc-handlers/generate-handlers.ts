// Handlers of the generate feature: drafts stay in the host; the page gets metadata, the value only on export or copy.
import { isSecretExport } from '../../../shared/domain/export-formats.js';
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
    exportDraft: async (req, signal) => {
      const key = drafts.get(req.draftId);
      // A JWKS holds public keys only; every other format carries the secret and needs the user's confirmation.
      if (isSecretExport(req.format)) {
        await host.release.confirm(
          { action: 'export', subject: `the unsaved ${key.kind} key as ${req.format}`, target: `draft:${req.draftId}:${req.format}` },
          req.confirmation,
          signal,
        );
      }
      return services.generate.export(key, req.format, req.envVar ? { envVar: req.envVar } : {});
    },
    copyDraft: async (req, signal) => {
      const key = drafts.get(req.draftId);
      await host.release.confirm(
        { action: 'copy', subject: `the unsaved ${key.kind} key`, target: `draft:${req.draftId}` },
        req.confirmation,
        signal,
      );
      return copyToClipboard(host, key.secret);
    },
    storeDraft: async (req, signal) => {
      const key = drafts.get(req.draftId);
      const { draftId: _id, ...rest } = req;
      return services.vault.store({ ...rest, key }, signal);
    },
    discardDraft: async (req) => ({ discarded: drafts.delete(req.draftId) }),
  };
}
