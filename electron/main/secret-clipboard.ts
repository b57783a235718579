// Copies from the main process: the value goes on the OS clipboard and is cleared later only if it is still ours.
import { createHash } from 'node:crypto';
import { clipboard } from 'electron';
import type { SecretClipboard } from '../node/ipc-handlers/host-adapters.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export interface MainClipboard extends SecretClipboard {
  /** Clears now if the clipboard still holds our last value (on quit). */
  clearIfOurs(): void;
}

export function createMainClipboard(): MainClipboard {
  // Only a digest is kept, so the secret is not held in memory for the 30 s wait.
  let ours: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const clearIfOurs = () => {
    if (ours !== undefined && digest(clipboard.readText()) === ours) clipboard.clear();
    ours = undefined;
  };
  return {
    writeSecret(value, clearAfterMs) {
      clipboard.writeText(value);
      ours = digest(value);
      if (timer) clearTimeout(timer);
      timer = setTimeout(clearIfOurs, clearAfterMs);
    },
    clearIfOurs,
  };
}
