// Lint enforces the layer boundaries of ARCHITECTURE.md; conventions alone drift.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'url',
  'util',
  'stream',
  'worker_threads',
];
const IPC_PRIMITIVES = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Only the typed IPC wrappers (electron/main/ipc-main.ts, electron/preload/) touch ipcMain/ipcRenderer.',
};

function restrict(paths, patterns) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
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
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [{ name: 'electron', message: 'shared/ is pure TypeScript: no electron.' }],
      [
        { group: NODE_BUILTINS, message: 'shared/ runs in the renderer too: no Node built-ins.' },
        {
          group: ['react', 'react-dom', 'keytar', '**/electron/**', '**/renderer/**'],
          message: 'shared/ imports only shared/ and pure libraries.',
        },
      ],
    ),
  },
  {
    files: ['shared/**/*.test.ts'],
    rules: restrict(
      [],
      [
        {
          group: ['react', 'react-dom', 'keytar', '**/electron/main/**', '**/renderer/**'],
          message: 'Tests of shared/ stay platform-neutral.',
        },
      ],
    ),
  },
  {
    files: ['electron/node/**/*.ts', 'electron/cli/**/*.ts', 'electron/web-host/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: restrict(
      [{ name: 'electron', message: 'Only electron/main imports electron.' }],
      [
        {
          group: ['**/electron/main/**', '**/renderer/**', 'react', 'react-dom'],
          message: 'Node-side code does not reach into the main process or the UI.',
        },
      ],
    ),
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc-main.ts'],
    rules: restrict([IPC_PRIMITIVES], [{ group: ['**/renderer/**'], message: 'The main process does not import UI code.' }]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(
      [],
      [
        {
          group: ['**/electron/node/**', '**/electron/main/**', '**/renderer/**', ...NODE_BUILTINS],
          message: 'The preload exposes the contract only.',
        },
      ],
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(
      [{ name: 'electron', message: 'The renderer talks only to window.keyturn through api/client.ts.' }],
      [{ group: [...NODE_BUILTINS, '**/electron/**', 'keytar'], message: 'The renderer imports shared/ and its own files only.' }],
    ),
  },
);
