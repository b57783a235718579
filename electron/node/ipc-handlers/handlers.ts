// The handler table both hosts run (Electron ipcMain and the loopback web host), assembled from one slice per feature.
// A channel without a handler fails to compile.
import { appHandlers } from './app-handlers.js';
import { auditHandlers } from './audit-handlers.js';
import { DraftStore } from './draft-store.js';
import { envcheckHandlers } from './envcheck-handlers.js';
import { escrowHandlers } from './escrow-handlers.js';
import { generateHandlers } from './generate-handlers.js';
import type { HandlerDeps, HandlerTable } from './handler-types.js';
import { jobsHandlers } from './jobs-handlers.js';
import { keysHandlers } from './keys-handlers.js';
import { reencryptHandlers } from './reencrypt-handlers.js';
import { pushHandlers } from './push-handlers.js';
import { rotationHandlers } from './rotation-handlers.js';

export type { Handler, HandlerTable } from './handler-types.js';

export function createHandlers(input: Omit<HandlerDeps, 'drafts'> & { drafts?: DraftStore }): HandlerTable {
  const deps: HandlerDeps = { ...input, drafts: input.drafts ?? new DraftStore() };
  return {
    ...appHandlers(deps),
    ...generateHandlers(deps),
    ...keysHandlers(deps),
    ...auditHandlers(deps),
    ...envcheckHandlers(deps),
    ...jobsHandlers(deps),
    ...reencryptHandlers(deps),
    ...pushHandlers(deps),
    ...escrowHandlers(deps),
    ...rotationHandlers(deps),
  };
}
