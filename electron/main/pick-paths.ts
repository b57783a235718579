// The native file dialog for the Check .env screen (the web host has none and takes typed paths).
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';

export async function pickPaths(window: BrowserWindow | undefined, mode: 'files' | 'folder'): Promise<string[]> {
  const options: OpenDialogOptions = {
    title: mode === 'files' ? 'Choose .env files to check' : 'Choose a folder to search for .env files',
    properties: mode === 'files' ? ['openFile', 'multiSelections', 'showHiddenFiles'] : ['openDirectory', 'showHiddenFiles'],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}
