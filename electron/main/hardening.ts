// App-wide guards: no new windows, no navigation away, no webviews, every permission denied, no remote requests.
import { app, session, type Session } from 'electron';
import { isAppUrl } from './app-origin.js';
import type { WindowBuild } from './web-preferences.js';

/** Requests the renderer may make: our own protocol, and DevTools internals where DevTools are on; nothing leaves the machine. */
function isAllowedRequest(url: string, devTools: boolean): boolean {
  return isAppUrl(url) || (devTools && url.startsWith('devtools://'));
}

export function hardenSession(target: Session = session.defaultSession, build: WindowBuild = { packaged: app.isPackaged }): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
  target.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, !build.packaged) }));
}

export function guardWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
