// Loads the real main-process bundle (dist/main/main.cjs as esbuild makes it) against a recording stand-in for the
// `electron` module (Electron 45's API shapes: an asynchronous clipboard): this machine has no Electron binary, so this
// is how the wiring is checked here (the electron Playwright project checks the real thing where a binary exists).
// The bundle is loaded twice, as a packaged build and as a development run, where DevTools and the menu differ.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { build } from 'esbuild';
import { CHANNELS, ipcChannelName } from '../shared/ipc/contract.js';
// @ts-expect-error -- plain ESM build config without type declarations
import { mainBundle } from './node-bundles.mjs';

const REPO = resolve(import.meta.dirname, '..');
const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
type MenuItem = { role?: string; label?: string; submenu?: MenuItem[] };

/** Lets queued promise callbacks run (setImmediate is not among the mocked timers). */
const settle = () => new Promise((r) => setImmediate(r));

function fakeElectron(appRoot: string, isPackaged: boolean) {
  const rec = {
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, Fn>(),
    ipc: new Map<string, Fn>(),
    appEvents: new Map<string, Fn[]>(),
    windows: [] as FakeWindow[],
    permissionRequest: undefined as Fn | undefined,
    permissionCheck: undefined as Fn | undefined,
    beforeRequest: undefined as Fn | undefined,
    sandboxEnabled: false,
    menu: undefined as MenuItem[] | undefined,
    menuSetBeforeWindow: false,
    quits: 0,
    ready: undefined as (() => void) | undefined,
  };
  class FakeWindow {
    url = '';
    readonly webContents = { id: 41, mainFrame: { url: 'app://keyturn/index.html' } };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(readonly options: Record<string, any>) {
      rec.windows.push(this);
    }
    once() {}
    on() {}
    show() {}
    isDestroyed() {
      return false;
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      isPackaged,
      enableSandbox: () => (rec.sandboxEnabled = true),
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: Fn) => rec.appEvents.set(event, [...(rec.appEvents.get(event) ?? []), fn]),
      whenReady: () => new Promise<void>((r) => (rec.ready = r)),
      getAppPath: () => appRoot,
      quit: () => (rec.quits += 1),
      exit() {},
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => rec.schemes.push(...schemes),
      handle: (scheme: string, fn: Fn) => rec.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (rec.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Fn) => (rec.permissionCheck = fn),
        setDevicePermissionHandler() {},
        webRequest: { onBeforeRequest: (fn: Fn) => (rec.beforeRequest = fn) },
      },
    },
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItem[] }) => {
        rec.menu = menu.template;
        rec.menuSetBeforeWindow = rec.windows.length === 0;
      },
    },
    ipcMain: { handle: (channel: string, fn: Fn) => rec.ipc.set(channel, fn), removeHandler: (channel: string) => rec.ipc.delete(channel) },
    BrowserWindow: FakeWindow,
    nativeTheme: { shouldUseDarkColors: false },
    // Electron 44+: readText/writeText return promises; `pendingRead` lets a test hold a read open.
    clipboard: {
      text: '',
      pendingRead: undefined as Promise<void> | undefined,
      async writeText(value: string) {
        await settle();
        this.text = value;
      },
      async readText() {
        const text = this.text; // read now, answered later: as a real read that is slow to come back
        await this.pendingRead;
        return text;
      },
      clear() {
        this.text = '';
      },
    },
    dialog: {
      asked: [] as unknown[],
      async showOpenDialog(_window: unknown, options: { properties: string[] }) {
        this.asked.push(options.properties);
        return { canceled: false, filePaths: ['/srv/app/.env'] };
      },
    },
  };
  return { rec, electron };
}

const appRoot = mkdtempSync(join(tmpdir(), 'keyturn-main-'));
let packaged!: ReturnType<typeof fakeElectron>;
let development!: ReturnType<typeof fakeElectron>;

before(async () => {
  mkdirSync(join(appRoot, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(appRoot, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Keyturn</title>');
  writeFileSync(join(appRoot, 'secret.txt'), 'outside');
  process.env.KEYTURN_HOME = join(appRoot, 'home');
  const result = await build({ ...mainBundle, outfile: 'main.cjs', write: false });
  const [file] = result.outputFiles ?? [];
  assert.ok(file);
  const repoRequire = createRequire(join(REPO, 'package.json'));
  const load = async (isPackaged: boolean) => {
    const fake = fakeElectron(appRoot, isPackaged);
    const run = new Function('require', 'module', 'exports', '__filename', '__dirname', file.text) as Fn;
    const module = { exports: {} };
    run(
      (name: string) => (name === 'electron' ? fake.electron : repoRequire(name)),
      module,
      module.exports,
      join(appRoot, 'main.cjs'),
      appRoot,
    );
    fake.rec.ready!();
    await new Promise((r) => setTimeout(r, 50));
    return fake;
  };
  packaged = await load(true);
  development = await load(false);
});

after(() => rmSync(appRoot, { recursive: true, force: true }));

const mainFrame = { url: 'app://keyturn/index.html' };
const trusted = { sender: { id: 41, mainFrame }, senderFrame: mainFrame };
const invoker = (fake: ReturnType<typeof fakeElectron>) => (channel: (typeof CHANNELS)[number], req: unknown) =>
  fake.rec.ipc.get(ipcChannelName(channel))!(trusted, req);

test('before ready: app:// is a privileged standard scheme and the sandbox is on for every renderer', () => {
  const { rec } = packaged;
  assert.deepEqual(rec.schemes, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  assert.equal(rec.sandboxEnabled, true);
});

test('one hardened window loads app://keyturn/index.html with the bundled preload', () => {
  for (const { rec } of [packaged, development]) {
    assert.equal(rec.windows.length, 1);
    const [window] = rec.windows;
    assert.equal(window!.url, 'app://keyturn/index.html');
    const prefs = window!.options.webPreferences;
    assert.equal(prefs.preload, join(appRoot, 'dist', 'preload', 'preload.cjs'));
    assert.deepEqual([prefs.sandbox, prefs.contextIsolation, prefs.nodeIntegration, prefs.webSecurity], [true, true, false, true]);
    assert.deepEqual([window!.options.width, window!.options.height], [1280, 800]);
  }
});

test('DevTools are off in a packaged build, and DevTools requests are cancelled there', () => {
  assert.equal(packaged.rec.windows[0]!.options.webPreferences.devTools, false);
  assert.equal(development.rec.windows[0]!.options.webPreferences.devTools, true);
  const cancelled = (fake: ReturnType<typeof fakeElectron>, url: string) => {
    let cancel: boolean | undefined;
    fake.rec.beforeRequest!({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
    return cancel;
  };
  assert.equal(cancelled(packaged, 'devtools://devtools/bundled/devtools_app.html'), true);
  assert.equal(cancelled(development, 'devtools://devtools/bundled/devtools_app.html'), false);
});

test('the default menu is replaced, before the window opens, by a minimal one without reload or DevTools when packaged', () => {
  const roles = (items: MenuItem[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);
  const appOrFile = process.platform === 'darwin' ? 'appMenu' : 'fileMenu';
  assert.equal(packaged.rec.menuSetBeforeWindow, true);
  assert.deepEqual(roles(packaged.rec.menu!), [appOrFile, 'editMenu', 'windowMenu']);
  assert.deepEqual(roles(development.rec.menu!), [appOrFile, 'editMenu', 'reload', 'forceReload', 'toggleDevTools', 'windowMenu']);
});

test('new windows, navigation and webviews are refused for every web contents', () => {
  const created = packaged.rec.appEvents.get('web-contents-created') ?? [];
  assert.equal(created.length, 1);
  let openHandler: Fn | undefined;
  const listeners = new Map<string, Fn>();
  created[0]!({}, { setWindowOpenHandler: (fn: Fn) => (openHandler = fn), on: (event: string, fn: Fn) => listeners.set(event, fn) });
  assert.deepEqual(openHandler!({ url: 'https://example.com/' }), { action: 'deny' });
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => (prevented = true) });
    assert.equal(prevented, true, event);
  }
});

test('permissions are denied and only app:// requests leave the renderer', () => {
  for (const { rec } of [packaged, development]) {
    let granted: boolean | undefined;
    rec.permissionRequest!({}, 'clipboard-read', (answer: boolean) => (granted = answer));
    assert.equal(granted, false);
    assert.equal(rec.permissionCheck!({}, 'notifications'), false);
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      rec.beforeRequest!({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    assert.equal(verdict('app://keyturn/assets/index.js'), false);
    assert.equal(verdict('https://example.com/track.js'), true);
    assert.equal(verdict('file:///etc/passwd'), true);
    assert.equal(verdict('http://127.0.0.1:9999/'), true);
  }
});

test('the app:// handler serves the renderer with the CSP and nothing outside it', async () => {
  const handler = packaged.rec.protocolHandlers.get('app')!;
  const ok = (await handler(new Request('app://keyturn/index.html'))) as Response;
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-security-policy'), CSP);
  assert.equal(ok.headers.get('content-type'), 'text/html; charset=utf-8');
  for (const url of [
    'app://keyturn/../secret.txt',
    'app://keyturn/%2e%2e/secret.txt',
    'app://other/index.html',
    'app://keyturn/missing.js',
  ]) {
    const res = (await handler(new Request(url))) as Response;
    assert.equal(res.status, 404, url);
  }
});

test('every contract channel is registered and checks its sender before running the handler', async () => {
  const { rec, electron } = packaged;
  assert.deepEqual([...rec.ipc.keys()].sort(), CHANNELS.map(ipcChannelName).sort());
  const listKeys = rec.ipc.get(ipcChannelName('listKeys'))!;
  assert.deepEqual(await listKeys(trusted, {}), { ok: true, value: [] });
  const subframe = { sender: { id: 41, mainFrame }, senderFrame: { url: 'app://keyturn/index.html' } };
  const stranger = { sender: { id: 99, mainFrame }, senderFrame: mainFrame };
  const elsewhere = { sender: { id: 41, mainFrame: { url: 'https://evil.example/' } }, senderFrame: undefined };
  for (const event of [subframe, stranger, elsewhere]) {
    const result = await listKeys(event, {});
    assert.deepEqual([result.ok, result.error?.code], [false, 'forbidden']);
  }
  const bad = await rec.ipc.get(ipcChannelName('revealKey'))!(trusted, { name: '../../etc' });
  assert.deepEqual([bad.ok, bad.error.code], [false, 'invalid-input']);
  const info = await rec.ipc.get(ipcChannelName('appInfo'))!(trusted, {});
  assert.deepEqual(info.value.features, { pickPaths: true, hostClipboard: true });
  assert.equal(info.value.host, 'electron');
  const picked = await rec.ipc.get(ipcChannelName('pickPaths'))!(trusted, { mode: 'folder' });
  assert.deepEqual(picked, { ok: true, value: { paths: ['/srv/app/.env'] } });
  assert.deepEqual(electron.dialog.asked, [['openDirectory', 'showHiddenFiles']]);
});

test('copies go to the OS clipboard from the main process and are cleared after 30 s only if still ours', async () => {
  const { electron } = packaged;
  const invoke = invoker(packaged);
  const draft = (await invoke('generateKey', { kind: 'fernet' })).value;
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const copied = await invoke('copyDraft', { draftId: draft.draftId });
    assert.deepEqual(copied, { ok: true, value: { via: 'host', clearAfterMs: 30_000 } }, 'the value does not travel to the renderer');
    assert.match(electron.clipboard.text, /^[A-Za-z0-9_-]{43}=$/, 'the reply comes once the clipboard holds the value');
    mock.timers.tick(29_999);
    await settle();
    assert.notEqual(electron.clipboard.text, '');
    mock.timers.tick(1);
    await settle();
    assert.equal(electron.clipboard.text, '');

    await invoke('copyDraft', { draftId: draft.draftId });
    await electron.clipboard.writeText('the user copied this afterwards');
    mock.timers.tick(30_000);
    await settle();
    assert.equal(electron.clipboard.text, 'the user copied this afterwards');
  } finally {
    mock.timers.reset();
  }
});

test('a copy made while a clear is still reading the clipboard is not wiped by it', async () => {
  const { electron } = development;
  const invoke = invoker(development);
  const first = (await invoke('generateKey', { kind: 'secret' })).value;
  const second = (await invoke('generateKey', { kind: 'fernet' })).value;
  mock.timers.enable({ apis: ['setTimeout'] });
  let release!: () => void;
  try {
    await invoke('copyDraft', { draftId: first.draftId });
    electron.clipboard.pendingRead = new Promise<void>((r) => (release = r));
    mock.timers.tick(30_000); // the clear starts and waits on its read of the clipboard
    await settle();
    const copying = invoke('copyDraft', { draftId: second.draftId });
    for (let i = 0; i < 5; i += 1) await settle(); // time enough for the second write to land, were it not queued
    release();
    await copying;
    await settle();
    assert.match(electron.clipboard.text, /^[A-Za-z0-9_-]{43}=$/, 'the second copy is on the clipboard');
  } finally {
    electron.clipboard.pendingRead = undefined;
    mock.timers.reset();
  }
});

test('quitting holds once to clear our value from the clipboard, then quits', async () => {
  const { rec, electron } = development;
  const [willQuit] = rec.appEvents.get('will-quit') ?? [];
  assert.ok(willQuit);
  const draft = (await invoker(development)('generateKey', { kind: 'fernet' })).value;
  await invoker(development)('copyDraft', { draftId: draft.draftId });
  assert.notEqual(electron.clipboard.text, '');
  let prevented = 0;
  const quitsBefore = rec.quits;
  willQuit({ preventDefault: () => (prevented += 1) });
  assert.equal(prevented, 1, 'the quit waits for the clipboard');
  await settle();
  await settle();
  assert.equal(electron.clipboard.text, '');
  assert.equal(rec.quits, quitsBefore + 1, 'and then quits again');
  willQuit({ preventDefault: () => (prevented += 1) });
  assert.equal(prevented, 1, 'the second will-quit goes through');
});
