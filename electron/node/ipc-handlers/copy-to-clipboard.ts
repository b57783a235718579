// A copy goes to the OS clipboard from the host when it has one (Electron), else back to the page to copy itself.
import { CLIPBOARD_CLEAR_MS, type CopyResult } from '../../../shared/ipc/features/generate.js';
import type { HostAdapters } from './host-adapters.js';

export async function copyToClipboard(host: HostAdapters, value: string): Promise<CopyResult> {
  if (host.clipboard) {
    await host.clipboard.writeSecret(value, CLIPBOARD_CLEAR_MS);
    return { via: 'host', clearAfterMs: CLIPBOARD_CLEAR_MS };
  }
  return { via: 'renderer', value, clearAfterMs: CLIPBOARD_CLEAR_MS };
}
