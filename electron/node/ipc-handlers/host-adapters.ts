// What differs between the two hosts (Electron main and the loopback web host); everything else is the same handler code.

/**
 * Puts a secret on the OS clipboard and clears it later if it is still ours (Electron main process only). Resolves once
 * the clipboard holds it: Electron's clipboard is asynchronous since Electron 44.
 */
export interface SecretClipboard {
  writeSecret(value: string, clearAfterMs: number): Promise<void>;
}

export interface HostAdapters {
  kind: 'electron' | 'web';
  clipboard?: SecretClipboard;
  pickPaths?: (mode: 'files' | 'folder') => Promise<string[]>;
}
