// Electron project: the same lifecycle in the real desktop app through _electron.launch; skipped without a binary.
import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error -- plain ESM helper shared with `npm start`, no type declarations
import { findElectronBinary } from '../scripts/find-electron.mjs';
import { ARTIFACTS, expect, test } from './fixtures/keyturn-test.js';
import { REPO } from './fixtures/keyturn-serve.js';
import { keyLifecycle } from './flows/key-lifecycle.js';

const binary = findElectronBinary() as { ok: true; path: string } | { ok: false; reason: string };
// The keyring harness drops DISPLAY for its own children (a locked keyring would prompt); the app needs one on Linux.
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

const SKIP_REASON = !binary.ok
  ? `No Electron binary on this machine (${binary.reason}); the web project covers the same UI in Chromium.`
  : !display
    ? 'Electron needs a display on Linux and none is set; run the end-to-end tests under xvfb-run.'
    : '';
// The list reporter does not print skip reasons, so say it where CI logs show it.
if (SKIP_REASON) console.log(`electron project skipped: ${SKIP_REASON}`);
test.skip(SKIP_REASON !== '', SKIP_REASON);

test('the desktop app runs the key lifecycle with the window hardened', async ({ keyring }, testInfo) => {
  if (!binary.ok) return;
  const env: Record<string, string> = { ...(keyring.session.env as Record<string, string>) };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY']) if (process.env[name]) env[name] = process.env[name]!;
  const app: ElectronApplication = await electron.launch({ executablePath: binary.path, args: [REPO], env });
  try {
    const page = await app.firstWindow();
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(new URL(page.url()).protocol).toBe('app:');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(
      await page.evaluate(() => [
        typeof (window as unknown as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
    // Context isolation: the page sees the bridge's functions, never ipcRenderer or the preload's require.
    expect(await page.evaluate(() => Object.keys((window as unknown as { keyturn?: object }).keyturn ?? {}).length)).toBeGreaterThan(10);
    expect(await page.evaluate(() => 'ipcRenderer' in window || 'electron' in window)).toBe(false);
    const before = app.windows().length;
    await page.evaluate(() => window.open('https://example.com/'));
    // A target=_blank link goes past the renderer to the main process's window-open handler, which denies it.
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'https://example.com/';
      a.target = '_blank';
      document.body.append(a);
      a.click();
      a.remove();
    });
    // will-navigate is blocked: the window stays on app://keyturn.
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    // Absence cannot be awaited: give a denied window or navigation time to appear before counting.
    await page.waitForTimeout(500);
    expect(app.windows().length).toBe(before);
    expect(new URL(page.url()).host).toBe('keyturn');
    mkdirSync(ARTIFACTS, { recursive: true });
    // Playwright cannot click a native dialog: the main process's dialog answers as the test says, and counts questions.
    await app.evaluate(({ dialog }) => {
      const state = globalThis as unknown as { keyturnAsked: string[]; keyturnAnswer: number };
      state.keyturnAsked = [];
      state.keyturnAnswer = 0;
      dialog.showMessageBox = (async (...args: unknown[]) => {
        state.keyturnAsked.push((args.at(-1) as { message: string }).message);
        return { response: state.keyturnAnswer, checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    });
    const asked = () => app.evaluate(() => (globalThis as unknown as { keyturnAsked: string[] }).keyturnAsked);
    const answer = (response: number) =>
      app.evaluate((_electron, r) => {
        (globalThis as unknown as { keyturnAnswer: number }).keyturnAnswer = r;
      }, response);
    await answer(1);
    let questions = 0;
    await keyLifecycle(page, {
      lookup: keyring.lookup,
      shot: async (name) => {
        await page.screenshot({ path: join(ARTIFACTS, `electron-${name}.png`), fullPage: true });
      },
      // One native question per reveal, asked by main before the value left it.
      confirm: async () => {
        questions += 1;
        await expect.poll(async () => (await asked()).length).toBe(questions);
      },
    });
    expect((await asked())[0]).toMatch(/^Show the value of e2e-fernet-key v1\?$/);

    // A script in the page calling the bridge directly still meets the dialog; declined, it gets no value.
    await answer(0);
    const draft = await page.evaluate(async () => {
      const bridge = (
        window as unknown as { keyturn: Record<string, (req: unknown) => Promise<{ ok: boolean; value?: { draftId: string } }>> }
      ).keyturn;
      return (await bridge.generateKey!({ kind: 'fernet' })).value!.draftId;
    });
    const direct = await page.evaluate(async (draftId) => {
      const bridge = (window as unknown as { keyturn: Record<string, (req: unknown) => Promise<unknown>> }).keyturn;
      return [await bridge.copyDraft!({ draftId }), await bridge.exportDraft!({ draftId, format: 'text' })];
    }, draft);
    expect(JSON.stringify(direct)).not.toMatch(/[A-Za-z0-9_-]{43}=/);
    expect(direct).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'refused' }) }),
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'refused' }) }),
    ]);
    expect((await asked()).length).toBe(questions + 2);
    testInfo.annotations.push({ type: 'electron', description: binary.path });
  } finally {
    await app.close();
  }
});
