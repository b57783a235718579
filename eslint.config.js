// Lint enforces the layer boundaries of ARCHITECTURE.md; conventions alone drift. Imports are resolved to files
// (eslint-import-resolver-typescript) and judged by where they land, not by how the import text looks.
// scripts/lint-boundaries.test.ts plants a violation for every rule here and expects each one to be reported;
// scripts/import-cycles.mjs (also part of `npm run lint`) finds import circles.
import { dirname, join, parse, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const ROOT = dirname(fileURLToPath(import.meta.url));
const FS_ROOT = parse(ROOT).root;
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
const testsIn = (dir) => TESTS.map((glob) => `${dir}/${glob}`);

/** Packages that run unchanged in Node, in the sandboxed preload and in the browser: the only ones shared/ may use. */
const PURE_PACKAGES = ['zod'];
const UI_PACKAGES = ['react', 'react-dom'];
// `electron` and its subpaths (electron/main, electron/renderer, ...). The subpaths are ambient type declarations that
// resolve to no file, and the package is optional (npm drops it where its download fails), so electron is also matched
// by name: a bare package specifier is its own identity, unlike a relative path.
const ELECTRON_MODULE = '^electron(/.*)?$';
// esquery ends a regex at its first '/', so the selector spells the slash as an escape.
const ELECTRON_SELECTOR = 'ImportExpression[source.value=/^electron($|\\u002F)/]';
const ELECTRON_MODULES = ['electron', 'electron/main', 'electron/renderer', 'electron/common', 'electron/utility'];
const IPC_MESSAGE = 'Only the typed IPC wrappers (electron/main/ipc-main.ts, electron/preload/) touch ipcMain/ipcRenderer.';
const KEYTURN_MESSAGE = 'Only renderer/src/api/client.ts touches window.keyturn: call `api` from there.';

/** A package as the folders its imports resolve into (the resolver prefers type declarations). */
const pkg = (name) => [`node_modules/${name}`, `node_modules/@types/${name}`];
const pkgs = (names) => names.flatMap(pkg);
/** A folder of this repo as an exception to a zone whose `from` is the file system root. */
const underFsRoot = (folder) => `.${sep}${relative(FS_ROOT, join(ROOT, folder))}`;

/**
 * An allow-list: files under `target` may import only what resolves into `allowed` (repo folders, node_modules/...).
 * Anything else that resolves, anywhere on disk, is reported; `no-unresolved` and `no-nodejs-modules` cover the rest.
 */
function allowOnly(target, allowed, message) {
  return { target, from: FS_ROOT, except: allowed.map(underFsRoot), message };
}
/** A deny-list: files under `target` may not import anything that resolves into `denied`. */
function deny(target, denied, message) {
  return { target, from: denied, message };
}
function zones(...list) {
  return { 'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: list }] };
}

/** `electron` by name, in every import form: static, re-export, `import x = require()`, and dynamic `import()`. */
function noElectron(message, { syntax = [] } = {}) {
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: ELECTRON_MODULE, message }] }],
    'no-restricted-syntax': ['error', { selector: ELECTRON_SELECTOR, message }, ...syntax],
  };
}

// Property access and destructuring reach ipcMain/ipcRenderer whatever the import looked like (`electron.ipcMain`,
// `(await import('electron')).ipcMain`, `const { ipcMain } = electron`).
const IPC_PROPERTIES = ['ipcMain', 'ipcRenderer'].map((property) => ({ property, message: IPC_MESSAGE }));
const noIpcPrimitives = (...more) => ({ 'no-restricted-properties': ['error', ...IPC_PROPERTIES, ...more] });

/** Node-side code may use any installed package except the UI's and electron's. */
const ANY_PACKAGE = 'node_modules';
const NOT_ON_NODE = pkgs([...UI_PACKAGES, 'electron']);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: join(ROOT, 'tsconfig.json') })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // An import that resolves nowhere would slip past every zone below.
      'import-x/no-unresolved': ['error', { commonjs: true, ignore: [ELECTRON_MODULE] }],
    },
  },
  {
    // The installed CLI's launcher loads the bundle `npm run build` writes.
    files: ['bin/keyturn.js'],
    rules: { 'import-x/no-unresolved': ['error', { commonjs: true, ignore: ['^\\.\\./dist/'] }] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },

  // shared/: an allow-list. Files inside shared/ and the pure packages; no Node built-ins in any form, no electron.
  {
    files: ['shared/**/*.ts'],
    ignores: TESTS,
    rules: {
      ...zones(allowOnly('shared', ['shared', ...pkgs(PURE_PACKAGES)], `shared/ imports only shared/ and ${PURE_PACKAGES.join(', ')}.`)),
      'import-x/no-nodejs-modules': 'error',
      ...noElectron('shared/ is pure TypeScript: no electron.', {
        syntax: [
          { selector: 'ImportExpression[source.type!="Literal"]', message: 'shared/ imports only fixed specifiers lint can check.' },
        ],
      }),
      'no-restricted-globals': [
        'error',
        ...['Buffer', 'process', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
          name,
          message: 'shared/ runs in the renderer too: no Node globals.',
        })),
      ],
      ...noIpcPrimitives(),
    },
  },
  {
    // Tests of shared/ run on Node (node:test, fixtures, oracles) and stay away from the platform layers.
    files: testsIn('shared'),
    rules: {
      ...zones(
        allowOnly('shared', ['shared', 'test', ANY_PACKAGE], 'Tests of shared/ import shared/, test/ and packages only.'),
        deny('shared', [...NOT_ON_NODE, ...pkg('keytar')], 'Tests of shared/ stay platform-neutral.'),
      ),
      ...noElectron('Tests of shared/ stay platform-neutral: no electron.'),
    },
  },

  // electron/node: shared/ and itself; never a host above it (cli, web-host, main, preload) or the UI.
  {
    files: ['electron/node/**/*.ts'],
    ignores: TESTS,
    rules: {
      ...zones(
        allowOnly('electron/node', ['shared', 'electron/node', ANY_PACKAGE], 'electron/node imports shared/ and electron/node only.'),
        deny('electron/node', NOT_ON_NODE, 'electron/node is Node-only: no electron, no UI.'),
      ),
      ...noElectron('Only electron/main imports electron.'),
      ...noIpcPrimitives(),
    },
  },
  {
    files: testsIn('electron/node'),
    rules: {
      ...zones(
        allowOnly(
          'electron/node',
          ['shared', 'electron/node', 'test', ANY_PACKAGE],
          'electron/node tests import shared/, electron/node and test/.',
        ),
        deny('electron/node', NOT_ON_NODE, 'electron/node is Node-only: no electron, no UI.'),
      ),
      ...noElectron('Only electron/main imports electron.'),
    },
  },

  // The hosts over electron/node. The CLI may start the web host (`keyturn serve`); no host imports another otherwise.
  {
    files: ['electron/cli/**/*.ts'],
    rules: {
      ...zones(
        allowOnly(
          'electron/cli',
          ['shared', 'electron/node', 'electron/cli', 'electron/web-host', 'test', ANY_PACKAGE],
          'electron/cli imports shared/, electron/node and the web host it serves.',
        ),
        deny('electron/cli', NOT_ON_NODE, 'The CLI runs on plain Node: no electron, no UI.'),
      ),
      ...noElectron('Only electron/main imports electron.'),
      ...noIpcPrimitives(),
    },
  },
  {
    files: ['electron/web-host/**/*.ts'],
    rules: {
      ...zones(
        allowOnly(
          'electron/web-host',
          ['shared', 'electron/node', 'electron/web-host', 'test', ANY_PACKAGE],
          'electron/web-host imports shared/ and electron/node only.',
        ),
        deny('electron/web-host', NOT_ON_NODE, 'The web host runs on plain Node: no electron, no UI.'),
      ),
      ...noElectron('Only electron/main imports electron.'),
      ...noIpcPrimitives(),
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      ...zones(
        allowOnly(
          'electron/main',
          ['shared', 'electron/node', 'electron/main', ANY_PACKAGE],
          'electron/main imports shared/, electron/node and electron.',
        ),
        deny('electron/main', pkgs(UI_PACKAGES), 'The main process does not import UI code.'),
      ),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: ELECTRON_MODULES.map((name) => ({ name, importNames: ['ipcMain', 'ipcRenderer'], message: IPC_MESSAGE })) },
      ],
      ...noIpcPrimitives(),
    },
  },
  {
    files: ['electron/main/ipc-main.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-properties': 'off' },
  },

  // The sandboxed preload: the contract from shared/ and electron's contextBridge/ipcRenderer, nothing else.
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      ...zones(
        allowOnly('electron/preload', ['shared', 'electron/preload', ...pkg('electron')], 'The preload imports shared/ and electron only.'),
      ),
      'import-x/no-nodejs-modules': 'error',
    },
  },

  // The renderer: shared/, its own files and the UI packages; window.keyturn only through api/client.ts.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      ...zones(
        allowOnly(
          'renderer',
          ['shared', 'renderer', ...pkgs([...PURE_PACKAGES, ...UI_PACKAGES])],
          'The renderer imports shared/, its own files and React only.',
        ),
      ),
      'import-x/no-nodejs-modules': 'error',
      ...noElectron('The renderer reaches the host only through window.keyturn in api/client.ts.'),
      ...noIpcPrimitives({ property: 'keyturn', message: KEYTURN_MESSAGE }),
      'no-restricted-globals': ['error', { name: 'keyturn', message: KEYTURN_MESSAGE }],
    },
  },
  {
    files: ['renderer/src/api/client.ts'],
    rules: { ...noIpcPrimitives(), 'no-restricted-globals': 'off' },
  },

  // Tooling around the app: benchmarks and test support drive electron/node, never the Electron shell or the UI.
  {
    files: ['bench/**/*.ts', 'test/**/*.ts'],
    rules: {
      ...zones(
        deny(
          ['bench', 'test'],
          ['electron/main', 'electron/preload', 'renderer', ...NOT_ON_NODE],
          'Node-side tooling stays out of the shell and the UI.',
        ),
      ),
      ...noElectron('Only electron/main imports electron.'),
    },
  },
  {
    // These load the built bundles or run the CLI as a child; they find the Electron binary without importing electron.
    files: ['scripts/**/*.{ts,mjs}', 'e2e/**/*.ts'],
    rules: {
      ...zones(
        deny(['scripts', 'e2e'], ['electron/main', 'electron/preload', 'renderer'], 'Scripts and end-to-end tests use the built app.'),
      ),
      ...noElectron('Only electron/main imports electron; scripts/find-electron.mjs finds its binary without it.'),
    },
  },
);
