// The application menu: a minimal one in place of Electron's default, whose View menu reloads the page (losing the
// state of a long screen) and opens DevTools. Packaged builds get neither; development builds keep a Develop menu.
import type { MenuItemConstructorOptions } from 'electron';
import type { WindowBuild } from './web-preferences.js';

export interface MenuHost extends WindowBuild {
  platform: NodeJS.Platform;
}

export function appMenuTemplate({ platform, packaged }: MenuHost): MenuItemConstructorOptions[] {
  return [
    // macOS puts About, Hide and Quit in the app menu; elsewhere the File menu holds Quit.
    platform === 'darwin' ? { role: 'appMenu' } : { role: 'fileMenu' },
    // Cut, copy, paste and select all: on macOS the text fields get these shortcuts only through this menu.
    { role: 'editMenu' },
    ...(packaged
      ? []
      : [
          {
            label: 'Develop',
            submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }],
          } satisfies MenuItemConstructorOptions,
        ]),
    { role: 'windowMenu' },
  ];
}
