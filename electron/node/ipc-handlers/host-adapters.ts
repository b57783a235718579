// What differs between the two hosts (Electron main and the loopback web host); everything else is the same handler code.
import type { GrantingPathGuard, PathGuard } from '../files/path-guard.js';

/**
 * Puts a secret on the OS clipboard and clears it later if it is still ours (Electron main process only). Resolves once
 * the clipboard holds it: Electron's clipboard is asynchronous since Electron 44.
 */
export interface SecretClipboard {
  writeSecret(value: string, clearAfterMs: number): Promise<void>;
}

export interface HostAdapters {
  kind: 'electron' | 'web';
  /** Every file path the page sends passes through it: the web host's root, or what the desktop user picked. */
  paths: PathGuard;
  clipboard?: SecretClipboard;
  /** The native file dialog (Electron); what it returns is granted to `paths`. */
  pickPaths?: (mode: 'files' | 'folder') => Promise<string[]>;
}

/** Electron's paths: the dialog's choices are granted for the session. */
export function withDialogGrants(
  pick: (mode: 'files' | 'folder') => Promise<string[]>,
  guard: GrantingPathGuard,
): Pick<HostAdapters, 'paths' | 'pickPaths'> {
  return {
    paths: guard,
    pickPaths: async (mode) => {
      const picked = await pick(mode);
      await guard.grant(picked);
      return picked;
    },
  };
}
