// The handler table both hosts run (Electron ipcMain and the loopback web host): one function per contract channel.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { OUTPUT_FORMATS, type GeneratedKey, type OutputFormat } from '../../../shared/domain/generated-key.js';
import { isAsymmetric } from '../../../shared/domain/key-kinds.js';
import { CLIPBOARD_CLEAR_MS, type Channel, type CopyResult, type RequestOf, type ResponseOf } from '../../../shared/ipc/contract.js';
import { DraftStore } from './draft-store.js';
import type { HandlerDeps } from './ports.js';

export type Handler<C extends Channel> = (req: RequestOf<C>, signal?: AbortSignal) => Promise<ResponseOf<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

/** Asymmetric exports without private material (a JWKS, a public PEM) are safe to show; everything else is secret. */
function holdsSecret(key: GeneratedKey, text: string): boolean {
  if (!isAsymmetric(key.kind)) return true;
  return text.includes(key.secret) || /PRIVATE KEY|"d"\s*:/.test(text);
}

async function formatsFor(deps: HandlerDeps, key: GeneratedKey): Promise<OutputFormat[]> {
  const fitting: OutputFormat[] = [];
  for (const format of OUTPUT_FORMATS) {
    try {
      await deps.keys.render(key, format, { envVar: 'KEY' });
      fitting.push(format);
    } catch (error) {
      if (!(error instanceof KeyturnError)) throw error;
    }
  }
  return fitting;
}

async function copy(deps: HandlerDeps, value: string): Promise<CopyResult> {
  if (deps.host.clipboard) {
    await deps.host.clipboard.writeSecret(value, CLIPBOARD_CLEAR_MS);
    return { via: 'host', clearAfterMs: CLIPBOARD_CLEAR_MS };
  }
  return { via: 'renderer', value, clearAfterMs: CLIPBOARD_CLEAR_MS };
}

function envcheckOf(deps: HandlerDeps): NonNullable<HandlerDeps['envcheck']> {
  if (!deps.envcheck)
    throw new KeyturnError('refused', 'This build of Keyturn has no .env checker yet; update Keyturn to use the Check .env screen.');
  return deps.envcheck;
}

export function createHandlers(deps: HandlerDeps, drafts: DraftStore = new DraftStore()): HandlerTable {
  return {
    appInfo: async () => ({
      host: deps.host.kind,
      version: deps.host.version,
      features: { envcheck: Boolean(deps.envcheck), pickPaths: Boolean(deps.host.pickPaths), hostClipboard: Boolean(deps.host.clipboard) },
    }),
    keychainStatus: (_req, signal) => deps.vault.status(signal),
    generateKey: async (req) => {
      const key = await deps.keys.generate(req);
      const formats = await formatsFor(deps, key);
      const { secret: _secret, publicPem: _publicPem, ...metadata } = key;
      return { draftId: drafts.add(key), metadata, formats };
    },
    exportDraft: async (req) => {
      const key = drafts.get(req.draftId);
      const text = await deps.keys.render(key, req.format, req.envVar ? { envVar: req.envVar } : {});
      return { text, secret: holdsSecret(key, text) };
    },
    copyDraft: async (req) => copy(deps, drafts.get(req.draftId).secret),
    storeDraft: async (req, signal) => {
      const key = drafts.get(req.draftId);
      const { draftId: _id, ...rest } = req;
      return deps.vault.store({ ...rest, key }, signal);
    },
    discardDraft: async (req) => ({ discarded: drafts.delete(req.draftId) }),
    listKeys: () => deps.vault.list(),
    revealKey: (req, signal) => deps.vault.reveal(req, { reason: 'reveal', signal }),
    copyKey: async (req, signal) => copy(deps, (await deps.vault.reveal(req, { reason: 'copy', signal })).value),
    rotateKey: (req, signal) => deps.vault.rotate(req.name, signal),
    retireKeyVersion: (req, signal) => deps.vault.retire(req.name, req.version, true, signal),
    deleteKey: async (req, signal) => {
      if (req.confirmName !== req.name) {
        throw new KeyturnError('refused', `Type the key name "${req.name}" exactly to confirm; nothing was deleted.`);
      }
      await deps.vault.delete(req.name, true, signal);
      return { deleted: req.name };
    },
    auditList: (req) => deps.audit.list(req.limit),
    auditVerify: () => deps.audit.verify(),
    envProfiles: async () => envcheckOf(deps).profiles(),
    envCheck: (req) => envcheckOf(deps).check(req),
    envFix: (req) => envcheckOf(deps).fix(req),
    pickPaths: async (req) => {
      if (!deps.host.pickPaths) throw new KeyturnError('refused', 'There is no file dialog in the browser: type the paths instead.');
      return { paths: await deps.host.pickPaths(req.mode) };
    },
  };
}
