// Electron entry: hardens the app, serves the renderer from app://, wires the shared handlers to ipcMain, opens the window.
import { join } from 'node:path';
import { app, Menu, type BrowserWindow } from 'electron';
import { compose } from '../node/compose.js';
import { dialogPathGuard } from '../node/files/path-guard.js';
import { createHandlers } from '../node/ipc-handlers/handlers.js';
import { withDialogGrants } from '../node/ipc-handlers/host-adapters.js';
import { abortable, deadline } from '../node/lib/deadline.js';
import { appMenuTemplate } from './app-menu.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { guardWebContents, hardenSession } from './hardening.js';
import { registerIpcHandlers } from './ipc-main.js';
import { pickPaths } from './pick-paths.js';
import { createMainClipboard } from './secret-clipboard.js';
import { createSenderCheck } from './sender-check.js';
import { createMainWindow } from './window.js';

registerAppScheme();
app.enableSandbox();
guardWebContents();

const CLEAR_ON_QUIT_MS = 1000;
let mainWindow: BrowserWindow | undefined;

function start(): void {
  hardenSession();
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, packaged: app.isPackaged })));
  const root = app.getAppPath();
  serveRenderer(join(root, 'dist', 'renderer'));
  const clipboard = createMainClipboard();
  const services = compose();
  const handlers = createHandlers({
    services,
    host: { kind: 'electron', clipboard, ...withDialogGrants((mode) => pickPaths(mainWindow, mode), dialogPathGuard()) },
  });
  registerIpcHandlers(
    handlers,
    createSenderCheck(() => mainWindow),
  );
  const open = () => {
    mainWindow = createMainWindow(join(root, 'dist', 'preload', 'preload.cjs'));
    mainWindow.on('closed', () => {
      mainWindow = undefined;
    });
  };
  open();
  app.on('activate', () => {
    if (!mainWindow) open();
  });
  // The clipboard is asynchronous: hold the quit once until our value is off it (or a second has passed), then quit again.
  let clearedForQuit = false;
  app.on('will-quit', (event) => {
    if (clearedForQuit || !clipboard.mayHoldOurs()) return;
    clearedForQuit = true;
    event.preventDefault();
    const wait = deadline(CLEAR_ON_QUIT_MS);
    abortable(clipboard.clearIfOurs(), wait.signal)
      .catch(() => console.error('keyturn: the clipboard was not cleared before quitting'))
      .finally(() => {
        wait.dispose();
        app.quit();
      });
  });
  // Jobs pause at their next checkpoint before the app quits, so `keyturn jobs resume` continues them.
  let paused = false;
  app.on('before-quit', (event) => {
    if (paused) return;
    event.preventDefault();
    paused = true;
    void services.jobs.pauseAll().finally(() => app.quit());
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error(`keyturn: the app could not start (${error instanceof Error ? error.name : 'error'})`);
    app.exit(1);
  });
}
