// Copies from the main process: the value goes on the OS clipboard and is cleared later only if it is still ours.
import { createHash } from 'node:crypto';
import { clipboard } from 'electron';
import type { SecretClipboard } from '../node/ipc-handlers/host-adapters.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

export interface MainClipboard extends SecretClipboard {
  /** True while the clipboard may still hold our last value (so quitting should clear it first). */
  mayHoldOurs(): boolean;
  /** Clears now if the clipboard still holds our last value (on quit). */
  clearIfOurs(): Promise<void>;
}

export function createMainClipboard(): MainClipboard {
  // Only a digest is kept, so the secret is not held in memory for the 30 s wait.
  let ours: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let writing = 0;
  // Electron's clipboard is asynchronous (since 44): run writes and check-then-clear one at a time, so a clear that
  // read our old value cannot wipe a newer copy made while it waited.
  let queue: Promise<void> = Promise.resolve();
  const serial = (op: () => Promise<void>): Promise<void> => {
    const next = queue.then(op);
    queue = next.catch(() => undefined);
    return next;
  };
  const clearIfOurs = () =>
    serial(async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (ours === undefined) return;
      const expected = ours;
      ours = undefined;
      if (digest(await clipboard.readText()) === expected) clipboard.clear();
    });
  return {
    writeSecret(value, clearAfterMs) {
      writing += 1;
      return serial(async () => {
        try {
          await clipboard.writeText(value);
        } finally {
          writing -= 1;
        }
        ours = digest(value);
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          clearIfOurs().catch((error: unknown) =>
            console.error(`keyturn: the clipboard was not cleared (${(error as Error)?.name ?? 'error'})`),
          );
        }, clearAfterMs);
      });
    },
    mayHoldOurs: () => ours !== undefined || writing > 0,
    clearIfOurs,
  };
}
