// Builds the handler table from the composed services and the host's own adapters (clipboard, file dialog).
import { APP_VERSION } from '../../../shared/domain/app-version.js';
import type { Services } from '../compose.js';
import { generateKey } from '../crypto/generate-key.js';
import { renderKey } from '../crypto/render-key.js';
import { createHandlers, type HandlerTable } from './handlers.js';
import type { HostAdapters } from './ports.js';

export function handlersFromServices(services: Services, host: Omit<HostAdapters, 'version'>): HandlerTable {
  return createHandlers({
    vault: services.vault,
    audit: services.audit,
    envcheck: services.envcheck,
    keys: { generate: generateKey, render: renderKey },
    host: { ...host, version: APP_VERSION },
  });
}
