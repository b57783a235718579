// Finds the Electron binary, or says why there is none (the package is optional and CI skips its download).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** @returns {{ ok: true, path: string } | { ok: false, reason: string }} */
export function findElectronBinary() {
  const require = createRequire(import.meta.url);
  let path;
  try {
    path = require('electron');
  } catch (error) {
    const missing = error instanceof Error && /Cannot find module/.test(error.message);
    return {
      ok: false,
      reason: missing
        ? 'the optional electron package is not installed'
        : 'the electron package was installed without its binary, as ELECTRON_SKIP_BINARY_DOWNLOAD=1 does',
    };
  }
  if (typeof path !== 'string' || !existsSync(path)) return { ok: false, reason: `the Electron binary at ${String(path)} does not exist` };
  return { ok: true, path };
}
