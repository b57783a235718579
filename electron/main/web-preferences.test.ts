import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hardenedWebPreferences } from './web-preferences.js';

test('the window runs sandboxed, context-isolated, without Node and with web security on', () => {
  const prefs = hardenedWebPreferences('/app/dist/preload/preload.cjs');
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
});
