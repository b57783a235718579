// Which IPC senders are ours: the main window's own webContents, its top frame, loaded from app://keyturn.
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './app-origin.js';

export function createSenderCheck(getWindow: () => BrowserWindow | undefined): (event: IpcMainInvokeEvent) => boolean {
  return (event) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return false;
    if (event.sender.id !== window.webContents.id) return false;
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame) return false;
    return isAppUrl(frame.url);
  };
}
