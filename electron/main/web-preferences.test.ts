import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appMenuTemplate } from './app-menu.js';
import { hardenedWebPreferences } from './web-preferences.js';

test('the window runs sandboxed, context-isolated, without Node and with web security on', () => {
  for (const packaged of [true, false]) {
    const prefs = hardenedWebPreferences('/app/dist/preload/preload.cjs', { packaged });
    assert.equal(prefs.preload, '/app/dist/preload/preload.cjs');
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal('enableRemoteModule' in prefs, false);
    assert.equal('experimentalFeatures' in prefs, false);
  }
});

test('DevTools are off in packaged builds and on in development', () => {
  assert.equal(hardenedWebPreferences('/p.cjs', { packaged: true }).devTools, false);
  assert.equal(hardenedWebPreferences('/p.cjs', { packaged: false }).devTools, true);
});

/** Every role in a menu template, submenus included. */
function roles(items: ReturnType<typeof appMenuTemplate>): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
}

test('the menu is minimal: app or file, edit and window; reload and DevTools only in development', () => {
  const DEV_ONLY = ['reload', 'forceReload', 'toggleDevTools', 'viewMenu'];
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    const packaged = roles(appMenuTemplate({ platform, packaged: true }));
    assert.deepEqual(packaged, [platform === 'darwin' ? 'appMenu' : 'fileMenu', 'editMenu', 'windowMenu'], platform);
    const development = roles(appMenuTemplate({ platform, packaged: false }));
    for (const role of ['reload', 'toggleDevTools']) assert.ok(development.includes(role), `${platform}: ${role} in development`);
    assert.ok(!development.includes('viewMenu'), 'never the default View menu');
    assert.ok(DEV_ONLY.every((role) => !packaged.includes(role)));
  }
});
