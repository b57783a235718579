// The one application window, with every web preference a security review asks for set explicitly.
import { app, BrowserWindow, nativeTheme } from 'electron';
import { APP_URL } from './app-origin.js';
import { hardenedWebPreferences } from './web-preferences.js';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Keyturn',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#121418' : '#f6f7f9',
    webPreferences: hardenedWebPreferences(preloadPath, { packaged: app.isPackaged }),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
