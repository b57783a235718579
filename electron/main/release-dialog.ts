// The desktop release gate: every reveal, copy or export of a secret asks in a native dialog, which the page can
// neither see nor click; the answer covers that one request only.
import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { CLIPBOARD_CLEAR_MS } from '../../shared/ipc/features/generate.js';
import { REVEAL_HIDE_MS } from '../../shared/ipc/features/keys.js';
import { createAskingGate } from '../node/release-gate/asking-gate.js';
import type { ReleaseGate, ReleaseRequest } from '../node/release-gate/release-gate.js';

function question(request: ReleaseRequest): Pick<MessageBoxOptions, 'message' | 'detail' | 'buttons'> {
  const only = 'Confirm only if you just asked for this in Keyturn.';
  switch (request.action) {
    case 'reveal':
      return {
        message: `Show the value of ${request.subject}?`,
        detail: `It stays visible in the Keyturn window for ${REVEAL_HIDE_MS / 1000} seconds. ${only}`,
        buttons: ['Cancel', 'Show value'],
      };
    case 'copy':
      return {
        message: `Copy ${request.subject} to the clipboard?`,
        detail: `Keyturn clears the clipboard after ${CLIPBOARD_CLEAR_MS / 1000} seconds if it still holds the value. ${only}`,
        buttons: ['Cancel', 'Copy'],
      };
    case 'export':
      return {
        message: `Show ${request.subject}?`,
        detail: `The export holds the secret and stays visible for ${REVEAL_HIDE_MS / 1000} seconds. ${only}`,
        buttons: ['Cancel', 'Show export'],
      };
  }
}

export function createDialogReleaseGate(getWindow: () => BrowserWindow | undefined): ReleaseGate {
  return createAskingGate(async (request, signal) => {
    const options: MessageBoxOptions = {
      type: 'warning',
      title: 'Keyturn',
      ...question(request),
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      ...(signal ? { signal } : {}),
    };
    const window = getWindow();
    const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
    return result.response === 1;
  });
}
