// The window's web preferences, kept apart from window creation so a test can hold them to the security review.
import type { WebPreferences } from 'electron';

export interface WindowBuild {
  /** `app.isPackaged`: an installed build, where DevTools stay off (their console could call window.keyturn directly). */
  packaged: boolean;
}

export function hardenedWebPreferences(preloadPath: string, build: WindowBuild): WebPreferences {
  return {
    preload: preloadPath,
    devTools: !build.packaged,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}
