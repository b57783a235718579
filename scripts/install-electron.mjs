// `npm install`'s postinstall: fetches the Electron binary for `npm start`, as electron's own postinstall did before
// Electron 42 (which downloads lazily instead). It never fails the install: the CLI and `keyturn serve` need no Electron.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ELECTRON_MIN_NODE, electronPackageDir, findElectronBinary, nodeAtLeast } from './find-electron.mjs';

const RETRY = '`npm start` will say so, the CLI and `npm run serve` work without it, and `npx install-electron` tries again.';

/**
 * What the postinstall does here. Pure, so a test can walk every branch without a network.
 * @param {{ env: Record<string, string | undefined>, nodeVersion: string, packageDir: string | undefined }} facts
 * @returns {{ action: 'skip' | 'download', message?: string }}
 */
export function electronInstallPlan({ env, nodeVersion, packageDir }) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD && env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '0') return { action: 'skip' };
  if (!packageDir) return { action: 'skip' };
  if (findElectronBinary({ packageDir, env }).ok) return { action: 'skip' };
  if (!nodeAtLeast(nodeVersion)) {
    return {
      action: 'skip',
      message:
        `keyturn: the desktop app needs Node.js ${ELECTRON_MIN_NODE} or later to download Electron (this is Node.js ${nodeVersion}), ` +
        'so it was not downloaded; the CLI and `npm run serve` work on this Node.js.',
    };
  }
  return { action: 'download' };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const packageDir = electronPackageDir();
    const plan = electronInstallPlan({ env: process.env, nodeVersion: process.versions.node, packageDir });
    if (plan.message) console.log(plan.message);
    if (plan.action === 'download' && packageDir) {
      const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'inherit' });
      if (result.status !== 0) console.log(`keyturn: the Electron binary could not be downloaded (see above); ${RETRY}`);
    }
  } catch (error) {
    console.log(`keyturn: the Electron binary was not checked (${error instanceof Error ? error.name : 'error'}); ${RETRY}`);
  }
}
