// Planted boundary violations (and clean files) for scripts/lint-boundaries.test.ts: each sits at a real path in its
// layer and names the rules that must report it.

export const RULES = {
  paths: 'import-x/no-restricted-paths',
  builtins: 'import-x/no-nodejs-modules',
  unresolved: 'import-x/no-unresolved',
  imports: '@typescript-eslint/no-restricted-imports',
  syntax: 'no-restricted-syntax',
  properties: 'no-restricted-properties',
  globals: 'no-restricted-globals',
} as const;
export type BoundaryRule = (typeof RULES)[keyof typeof RULES];

export interface PlantedCase {
  name: string;
  /** Where the virtual file sits, relative to the repo. */
  file: string;
  code: string;
  /** Every rule that must report it; an empty list means the file must lint clean. */
  rules: BoundaryRule[];
}

const { paths, builtins, unresolved, imports, syntax, properties, globals } = RULES;

/** `import { x } from 'spec'` used, so no unrelated rule fires. */
const use = (spec: string, name = 'x') => `import { ${name} } from '${spec}';\nexport const used = [${name}];\n`;

/** An import that resolves nowhere would slip past every zone: each layer reports it. */
const unresolvable = (file: string): PlantedCase => ({
  name: `${file}: an unknown package`,
  file,
  code: use('left-pad-not-installed'),
  rules: [unresolved],
});

/** electron by name, in the forms that resolve to no file or to an optional package. */
function electronByName(file: string): PlantedCase[] {
  return [
    unresolvable(file),
    { name: `${file}: 'electron'`, file, code: use('electron', 'app'), rules: [imports] },
    { name: `${file}: 'electron/main' subpath`, file, code: use('electron/main', 'app'), rules: [imports] },
    { name: `${file}: 'electron/renderer' subpath`, file, code: use('electron/renderer', 'contextBridge'), rules: [imports] },
    { name: `${file}: import('electron/common')`, file, code: `export const load = () => import('electron/common');\n`, rules: [syntax] },
  ];
}

/**
 * @param outside a relative specifier, from shared/domain/, of a real file outside the repo (the allow-lists must
 *   hold for any path, not only for the repo's own folders).
 */
export function plantedCases(outside: string): PlantedCase[] {
  const node = 'electron/node/services/planted.ts';
  const nodeTest = 'electron/node/services/planted.test.ts';
  const cli = 'electron/cli/commands/planted.ts';
  const webHost = 'electron/web-host/planted.ts';
  const main = 'electron/main/planted.ts';
  const preload = 'electron/preload/planted.ts';
  const renderer = 'renderer/src/features/planted/planted-screen.tsx';
  const shared = 'shared/domain/planted.ts';
  const sharedTest = 'shared/domain/planted.test.ts';
  const bench = 'bench/planted.bench.ts';
  const e2e = 'e2e/planted.web.spec.ts';
  return [
    // electron/node: never a host above it, never the UI, never electron.
    { name: 'node -> main (../main/window.js)', file: node, code: use('../../main/window.js', 'createMainWindow'), rules: [paths] },
    { name: 'node -> cli', file: node, code: use('../../cli/program.js', 'createProgram'), rules: [paths] },
    { name: 'node -> web-host', file: node, code: use('../../web-host/server.js', 'startWebHost'), rules: [paths] },
    { name: 'node -> preload', file: node, code: `import '../../preload/preload.js';\n`, rules: [paths] },
    { name: 'node -> renderer', file: node, code: use('../../../renderer/src/api/client.js', 'api'), rules: [paths] },
    { name: 'node -> react', file: node, code: use('react', 'useState'), rules: [paths] },
    { name: 'node (not a test) -> test/support', file: node, code: use('../../../test/support/run-cli.js', 'runCli'), rules: [paths] },
    {
      name: 'node -> ipcMain property',
      file: node,
      code: `export const f = (e: { ipcMain: unknown }) => e.ipcMain;\n`,
      rules: [properties],
    },
    ...electronByName(node),
    { name: 'node test -> main', file: nodeTest, code: use('../../main/window.js', 'createMainWindow'), rules: [paths] },
    ...electronByName(nodeTest),

    // The hosts: none imports the Electron shell; the web host does not import the CLI.
    { name: 'cli -> main (../main/window.js)', file: cli, code: use('../../main/window.js', 'createMainWindow'), rules: [paths] },
    { name: 'cli -> renderer', file: cli, code: use('../../../renderer/src/api/client.js', 'api'), rules: [paths] },
    { name: 'cli -> react-dom', file: cli, code: use('react-dom', 'version'), rules: [paths] },
    {
      name: 'cli -> ipcRenderer property',
      file: cli,
      code: `export const f = (e: { ipcRenderer: unknown }) => e.ipcRenderer;\n`,
      rules: [properties],
    },
    ...electronByName(cli),
    { name: 'web-host -> main (../main/window.js)', file: webHost, code: use('../main/window.js', 'createMainWindow'), rules: [paths] },
    { name: 'web-host -> cli', file: webHost, code: use('../cli/program.js', 'createProgram'), rules: [paths] },
    { name: 'web-host -> react', file: webHost, code: use('react', 'useState'), rules: [paths] },
    {
      name: 'web-host -> ipcMain property',
      file: webHost,
      code: `export const f = (e: { ipcMain: unknown }) => e.ipcMain;\n`,
      rules: [properties],
    },
    ...electronByName(webHost),

    // electron/main: ipcMain only in ipc-main.ts, by any import form; no other host, no UI.
    { name: "main: { ipcMain } from 'electron/main'", file: main, code: use('electron/main', 'ipcMain'), rules: [imports] },
    {
      name: "main: { ipcMain as m } from 'electron'",
      file: main,
      code: `import { ipcMain as m } from 'electron';\nexport const used = [m];\n`,
      rules: [imports],
    },
    { name: "main: { ipcRenderer } from 'electron/renderer'", file: main, code: use('electron/renderer', 'ipcRenderer'), rules: [imports] },
    {
      name: 'main: import * as electron; electron.ipcMain',
      file: main,
      code: `import * as electron from 'electron';\nexport const f = () => electron.ipcMain;\n`,
      rules: [imports, properties],
    },
    {
      name: "main: const { ipcMain } = await import('electron')",
      file: main,
      code: `export async function f() {\n  const { ipcMain } = await import('electron');\n  return ipcMain;\n}\n`,
      rules: [properties],
    },
    { name: 'main -> cli', file: main, code: use('../cli/program.js', 'createProgram'), rules: [paths] },
    { name: 'main -> web-host', file: main, code: use('../web-host/server.js', 'startWebHost'), rules: [paths] },
    { name: 'main -> renderer', file: main, code: use('../../renderer/src/api/client.js', 'api'), rules: [paths] },
    { name: 'main -> react', file: main, code: use('react', 'useState'), rules: [paths] },
    unresolvable(main),

    // The preload: shared/ and electron only.
    { name: 'preload -> ../node/compose.js', file: preload, code: use('../node/compose.js', 'compose'), rules: [paths] },
    { name: 'preload -> main', file: preload, code: use('../main/app-origin.js', 'APP_URL'), rules: [paths] },
    { name: 'preload -> a package (zod)', file: preload, code: use('zod', 'z'), rules: [paths] },
    { name: 'preload -> node:fs', file: preload, code: use('node:fs', 'readFileSync'), rules: [builtins] },
    { name: 'preload -> events', file: preload, code: use('events', 'EventEmitter'), rules: [builtins] },
    unresolvable(preload),

    // The renderer: shared/, its own files, React; window.keyturn only in api/client.ts.
    { name: 'renderer: window.keyturn', file: renderer, code: `export const bridge = window.keyturn;\n`, rules: [properties] },
    {
      name: "renderer: globalThis['keyturn']",
      file: renderer,
      code: `export const bridge = (globalThis as unknown as Record<string, unknown>)['keyturn'];\n`,
      rules: [properties],
    },
    {
      name: 'renderer: const { keyturn } = window',
      file: renderer,
      code: `const { keyturn } = window;\nexport const bridge = keyturn;\n`,
      rules: [properties],
    },
    {
      name: 'renderer: the keyturn global',
      file: renderer,
      code: `export const bridge = () => keyturn;\n`,
      rules: [globals],
    },
    { name: 'renderer -> electron/node', file: renderer, code: use('../../../../electron/node/compose.js', 'compose'), rules: [paths] },
    { name: 'renderer -> preload', file: renderer, code: `import '../../../../electron/preload/preload.js';\n`, rules: [paths] },
    { name: 'renderer -> a Node-side package (jose)', file: renderer, code: use('jose', 'SignJWT'), rules: [paths] },
    { name: 'renderer -> node:path', file: renderer, code: use('node:path', 'join'), rules: [builtins] },
    { name: 'renderer -> buffer', file: renderer, code: use('buffer', 'Buffer'), rules: [builtins] },
    {
      name: 'renderer -> ipcRenderer property',
      file: renderer,
      code: `export const f = (e: { ipcRenderer: unknown }) => e.ipcRenderer;\n`,
      rules: [properties],
    },
    ...electronByName(renderer),
    {
      name: 'api/client.ts -> ipcRenderer property',
      file: 'renderer/src/api/client.ts',
      code: `export const f = (e: { ipcRenderer: unknown }) => e.ipcRenderer;\n`,
      rules: [properties],
    },

    // shared/: an allow-list. Node built-ins in every form, other packages, other layers, anything outside the repo.
    { name: "shared -> 'events'", file: shared, code: use('events', 'EventEmitter'), rules: [builtins] },
    { name: "shared -> 'buffer'", file: shared, code: use('buffer', 'Buffer'), rules: [builtins] },
    { name: "shared -> 'zlib'", file: shared, code: use('zlib', 'gzipSync'), rules: [builtins] },
    { name: "shared -> 'node:crypto'", file: shared, code: use('node:crypto', 'randomBytes'), rules: [builtins] },
    { name: "shared -> import('node:fs')", file: shared, code: `export const load = () => import('node:fs');\n`, rules: [builtins] },
    { name: "shared -> export * from 'node:path'", file: shared, code: `export * from 'node:path';\n`, rules: [builtins] },
    {
      name: "shared -> import fs = require('fs')",
      file: shared,
      code: `import fs = require('fs');\nexport const used = [fs];\n`,
      rules: [builtins],
    },
    {
      name: 'shared -> import(`node:fs`), a template',
      file: shared,
      code: 'export const load = () => import(`node:fs`);\n',
      rules: [syntax],
    },
    { name: "shared -> 'dotenv'", file: shared, code: use('dotenv', 'parse'), rules: [paths] },
    { name: "shared -> 'jose'", file: shared, code: use('jose', 'SignJWT'), rules: [paths] },
    { name: "shared -> 'react'", file: shared, code: use('react', 'useState'), rules: [paths] },
    { name: 'shared -> electron/node', file: shared, code: use('../../electron/node/compose.js', 'compose'), rules: [paths] },
    { name: 'shared -> renderer', file: shared, code: use('../../renderer/src/api/client.js', 'api'), rules: [paths] },
    { name: 'shared -> test/support', file: shared, code: use('../../test/support/seeded-random.js', 'seededRandom'), rules: [paths] },
    { name: 'shared -> a file outside the repo', file: shared, code: use(outside, 'outside'), rules: [paths] },
    { name: 'shared: the Buffer global', file: shared, code: `export const bytes = Buffer.from('x');\n`, rules: [globals] },
    { name: 'shared: the process global', file: shared, code: `export const env = () => process.env.HOME;\n`, rules: [globals] },
    {
      name: 'shared -> ipcMain property',
      file: shared,
      code: `export const f = (e: { ipcMain: unknown }) => e.ipcMain;\n`,
      rules: [properties],
    },
    ...electronByName(shared),
    { name: 'shared test -> main', file: sharedTest, code: use('../../electron/main/window.js', 'createMainWindow'), rules: [paths] },
    { name: 'shared test -> keytar', file: sharedTest, code: use('keytar', 'getPassword'), rules: [paths] },
    ...electronByName(sharedTest),

    // Tooling: benchmarks, test support, scripts and end-to-end tests stay out of the shell and the UI.
    { name: 'bench -> main', file: bench, code: use('../electron/main/window.js', 'createMainWindow'), rules: [paths] },
    { name: 'bench -> renderer', file: bench, code: use('../renderer/src/api/client.js', 'api'), rules: [paths] },
    ...electronByName(bench),
    { name: 'e2e -> main', file: e2e, code: use('../electron/main/window.js', 'createMainWindow'), rules: [paths] },
    { name: 'e2e -> renderer', file: e2e, code: use('../renderer/src/api/client.js', 'api'), rules: [paths] },
    ...electronByName(e2e),

    unresolvable('bin/keyturn.js'),

    // Clean files: what each layer may do.
    {
      name: 'clean: shared/ with zod and its own files',
      file: shared,
      code: `import { z } from 'zod';\nimport { KeyturnError } from './errors.js';\nexport const used = [z, KeyturnError];\n`,
      rules: [],
    },
    {
      name: 'clean: electron/node with node:fs, a package and shared/',
      file: node,
      code: `import { readFileSync } from 'node:fs';\nimport { SignJWT } from 'jose';\nimport { KeyturnError } from '../../../shared/domain/errors.js';\nexport const used = [readFileSync, SignJWT, KeyturnError];\n`,
      rules: [],
    },
    {
      name: 'clean: the CLI starts the web host',
      file: cli,
      code: `import { startWebHost } from '../../web-host/server.js';\nimport { compose } from '../../node/compose.js';\nexport const used = [startWebHost, compose];\n`,
      rules: [],
    },
    {
      name: 'clean: electron/main with electron, electron/node and shared/',
      file: main,
      code: `import { app } from 'electron';\nimport { compose } from '../node/compose.js';\nimport { KeyturnError } from '../../shared/domain/errors.js';\nexport const used = [app, compose, KeyturnError];\n`,
      rules: [],
    },
    {
      name: 'clean: ipc-main.ts uses ipcMain',
      file: 'electron/main/ipc-main.ts',
      code: `import * as electron from 'electron';\nimport { ipcMain } from 'electron/main';\nexport const used = [ipcMain, electron.ipcMain];\n`,
      rules: [],
    },
    {
      name: 'clean: the preload with contextBridge, ipcRenderer and the contract',
      file: preload,
      code: `import { contextBridge, ipcRenderer } from 'electron';\nimport { CHANNELS } from '../../shared/ipc/contract.js';\nexport const used = [contextBridge, ipcRenderer.invoke, CHANNELS];\n`,
      rules: [],
    },
    {
      name: 'clean: the renderer with React, shared/ and its api client',
      file: renderer,
      code: `import { useState } from 'react';\nimport { api } from '../../api/client.js';\nimport { KEY_KINDS } from '../../../../shared/domain/key-kinds.js';\nexport const used = [useState, api, KEY_KINDS];\n`,
      rules: [],
    },
    {
      name: 'clean: api/client.ts reads window.keyturn',
      file: 'renderer/src/api/client.ts',
      code: `export const bridge = () => window.keyturn;\n`,
      rules: [],
    },
    {
      name: 'clean: a shared/ test on node:test with test support',
      file: sharedTest,
      code: `import { test } from 'node:test';\nimport { seededRandom } from '../../test/support/seeded-random.js';\nexport const used = [test, seededRandom];\n`,
      rules: [],
    },
  ];
}
