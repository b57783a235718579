// Finds the Electron binary, or says why there is none, without ever downloading it. Since Electron 42 the package
// has no postinstall: `require('electron')` downloads a missing binary on the spot, so this reads what the package's
// own index.js reads (path.txt, then dist/) instead of requiring it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Node.js version Electron's download tooling (@electron/get) needs. */
export const ELECTRON_MIN_NODE = '22.12.0';

/** True when `version` (e.g. process.versions.node) is at least `minimum`. */
export function nodeAtLeast(version, minimum = ELECTRON_MIN_NODE) {
  const [a, b, c] = version.split('.').map(Number);
  const [x, y, z] = minimum.split('.').map(Number);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
}

/** The installed electron package's folder, or undefined. */
export function electronPackageDir(from = import.meta.url) {
  try {
    return dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * @param {{ packageDir?: string, env?: Record<string, string | undefined> }} [where]
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(where = {}) {
  const packageDir = 'packageDir' in where ? where.packageDir : electronPackageDir();
  const env = where.env ?? process.env;
  if (!packageDir) return { ok: false, reason: 'the electron package is not installed (npm install --omit=dev leaves it out)' };
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason: `the Electron binary has not been downloaded (\`npx install-electron\` fetches it on Node.js ${ELECTRON_MIN_NODE} or later)`,
    };
  }
  const executable = readFileSync(pathFile, 'utf8').trim();
  const path = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist'), executable);
  if (!existsSync(path))
    return { ok: false, reason: `the Electron binary at ${path} does not exist (\`npx install-electron\` fetches it)` };
  return { ok: true, path };
}
