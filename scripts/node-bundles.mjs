// esbuild options for the Node-side bundles, shared by the build script and the tests that check the built output.

// Native and Electron-provided modules stay outside the bundles, and so do the large libraries that only some commands
// use (cloud SDKs, database drivers, escrow): they are imported lazily and loaded from node_modules when needed, so
// the CLI does not parse megabytes it never runs. Everything else is inlined.
const LAZY = [
  '@aws-sdk/*',
  '@azure/*',
  '@smithy/*',
  'pg',
  'mysql2',
  'libsql',
  '@libsql/*',
  'better-sqlite3',
  'shamir-secret-sharing',
  'age-encryption',
  'qrcode',
  'pdf-lib',
  'jsqr',
  'pngjs',
];
const NATIVE = ['electron', 'keytar', ...LAZY];
const common = { bundle: true, sourcemap: false, legalComments: 'none', logLevel: 'warning', charset: 'utf8' };

// Electron 45 runs Node 24 in the main process and Chromium 150+ in the preload (its package types Node 24 too).
export const mainBundle = {
  ...common,
  entryPoints: ['electron/main/main.ts'],
  outfile: 'dist/main/main.cjs',
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  external: NATIVE,
  // CommonJS has no import.meta: code that finds files beside itself (the re-encryption worker) gets this file's URL.
  define: { 'import.meta.url': '__keyturnMetaUrl', 'import.meta.resolve': 'undefined' },
  banner: { js: "const __keyturnMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// A sandboxed preload gets a tiny require() that knows 'electron' and little else: one self-contained CommonJS file.
export const preloadBundle = {
  ...common,
  entryPoints: ['electron/preload/preload.ts'],
  outfile: 'dist/preload/preload.cjs',
  platform: 'browser',
  format: 'cjs',
  target: 'chrome150',
  external: ['electron'],
};

export const cliBundle = {
  ...common,
  entryPoints: ['electron/cli/main.ts'],
  outfile: 'dist/cli/main.js',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: NATIVE,
  // Bundled CommonJS dependencies call require(); ESM has none, so give them one.
  banner: {
    js: "import { createRequire as __keyturnCreateRequire } from 'node:module'; const require = __keyturnCreateRequire(import.meta.url);",
  },
};

/** Module names a CommonJS bundle require()s. */
export function requiredModules(code) {
  return [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
}

// The re-encryption crypto worker (electron/node/db/reencrypt/crypto-pool.ts) is started from a file beside the bundle
// that starts it: one copy beside the CLI and one beside Electron's main process.
const workerBundle = (dir) => ({
  ...common,
  entryPoints: ['electron/node/db/reencrypt/rotate-worker.ts'],
  outfile: `dist/${dir}/rotate-worker.js`,
  platform: 'node',
  format: 'esm',
  target: 'node20',
});
export const workerBundles = [workerBundle('cli'), workerBundle('main')];
