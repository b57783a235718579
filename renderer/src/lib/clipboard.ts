// Finishes a copy the host handed back: writes the value to the browser clipboard and clears it again after the delay.
import type { CopyResult } from '../../../shared/ipc/features/generate.js';

let pendingClear: ReturnType<typeof setTimeout> | undefined;

/** Resolves when the value is on the clipboard; the clear runs later, only if the clipboard still holds our value. */
export async function completeCopy(result: CopyResult): Promise<void> {
  if (result.via === 'host') return; // Electron's main process wrote it and clears it itself.
  const value = result.value;
  await navigator.clipboard.writeText(value);
  if (pendingClear) clearTimeout(pendingClear);
  pendingClear = setTimeout(() => {
    pendingClear = undefined;
    void clearIfStillOurs(value);
  }, result.clearAfterMs);
}

async function clearIfStillOurs(value: string): Promise<void> {
  let current: string | undefined;
  try {
    current = await navigator.clipboard.readText();
  } catch {
    // Reading may be refused; a secret left on the clipboard is worse than clearing something the user copied since.
    current = undefined;
  }
  if (current === undefined || current === value) {
    try {
      await navigator.clipboard.writeText('');
    } catch {
      // The page lost focus or permission: nothing more the browser lets us do.
    }
  }
}
