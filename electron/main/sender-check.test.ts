import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { APP_URL, isAppUrl } from './app-origin.js';
import { createSenderCheck } from './sender-check.js';

test('only app://keyturn/ URLs count as ours', () => {
  assert.equal(isAppUrl(APP_URL), true);
  assert.equal(isAppUrl('app://keyturn/assets/index.js'), true);
  for (const url of [
    'file:///index.html',
    'http://127.0.0.1/',
    'app://evil/index.html',
    'app://keyturn.evil/',
    'app://user:pw@keyturn/',
    'https://keyturn/',
    'not a url',
    'devtools://devtools/',
  ]) {
    assert.equal(isAppUrl(url), false, url);
  }
});

// Plain objects standing in for Electron's event and window: the check reads only ids, frames and URLs.
function scenario(overrides: { senderId?: number; frameUrl?: string; subframe?: boolean; destroyed?: boolean; noWindow?: boolean } = {}) {
  const mainFrame = { url: APP_URL };
  const frame = overrides.subframe
    ? { url: overrides.frameUrl ?? APP_URL }
    : Object.assign(mainFrame, overrides.frameUrl ? { url: overrides.frameUrl } : {});
  const event = { sender: { id: overrides.senderId ?? 7, mainFrame }, senderFrame: frame } as unknown as IpcMainInvokeEvent;
  const window = { isDestroyed: () => overrides.destroyed === true, webContents: { id: 7 } } as unknown as BrowserWindow;
  const check = createSenderCheck(() => (overrides.noWindow ? undefined : window));
  return check(event);
}

test('the sender must be our window, its main frame, on our origin', () => {
  assert.equal(scenario(), true);
  assert.equal(scenario({ senderId: 8 }), false, 'another webContents');
  assert.equal(scenario({ subframe: true }), false, 'a subframe, even on our origin');
  assert.equal(scenario({ frameUrl: 'https://evil.example/' }), false, 'our window navigated elsewhere');
  assert.equal(scenario({ destroyed: true }), false);
  assert.equal(scenario({ noWindow: true }), false);
});
