// Electron 45 ships no postinstall and downloads its binary when first required: finding the binary must never
// download it (tests and `npm start` look for it), and our postinstall must fetch it where it can and never fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
// @ts-expect-error -- plain ESM scripts without type declarations
import { ELECTRON_MIN_NODE, findElectronBinary, nodeAtLeast } from './find-electron.mjs';
// @ts-expect-error -- plain ESM scripts without type declarations
import { electronInstallPlan } from './install-electron.mjs';

const REPO = resolve(import.meta.dirname, '..');
const root = mkdtempSync(join(tmpdir(), 'keyturn-electron-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in electron package whose index.js and install.js leave a mark if anything runs them. */
function fakePackage(name: string, { pathTxt, binary }: { pathTxt?: string; binary?: boolean } = {}): string {
  const dir = join(root, name, 'node_modules', 'electron');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }));
  for (const file of ['index.js', 'install.js']) {
    writeFileSync(join(dir, file), `require('fs').writeFileSync(${JSON.stringify(join(dir, `ran-${file}`))}, '');`);
  }
  if (pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), pathTxt);
  if (binary) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'electron'), '');
  }
  return dir;
}
const ran = (dir: string) => ['index.js', 'install.js'].filter((file) => existsSync(join(dir, `ran-${file}`)));

test('finding the binary reads path.txt and dist/ and never runs the package (which would download)', () => {
  const none = fakePackage('none');
  const result = findElectronBinary({ packageDir: none, env: {} });
  assert.equal(result.ok, false);
  assert.match(result.reason, /has not been downloaded.*npx install-electron/);
  assert.deepEqual(ran(none), []);

  const missing = fakePackage('missing', { pathTxt: 'electron' });
  assert.match(findElectronBinary({ packageDir: missing, env: {} }).reason, /does not exist/);

  const present = fakePackage('present', { pathTxt: 'electron', binary: true });
  assert.deepEqual(findElectronBinary({ packageDir: present, env: {} }), { ok: true, path: join(present, 'dist', 'electron') });
  const override = join(root, 'override');
  mkdirSync(override);
  writeFileSync(join(override, 'electron'), '');
  assert.deepEqual(findElectronBinary({ packageDir: missing, env: { ELECTRON_OVERRIDE_DIST_PATH: override } }), {
    ok: true,
    path: join(override, 'electron'),
  });
  assert.deepEqual([...ran(missing), ...ran(present)], []);

  assert.match(findElectronBinary({ packageDir: undefined, env: {} }).reason, /not installed/);
});

test('the postinstall downloads only where it can: not when skipped, installed or on a Node.js too old for it', () => {
  const none = fakePackage('plan');
  const present = fakePackage('plan-present', { pathTxt: 'electron', binary: true });
  const plan = (env: Record<string, string>, nodeVersion: string, packageDir: string | undefined = none) =>
    electronInstallPlan({ env, nodeVersion, packageDir });
  const notInstalled = (env: Record<string, string>, nodeVersion: string) =>
    electronInstallPlan({ env, nodeVersion, packageDir: undefined });
  assert.deepEqual(plan({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, '24.0.0'), { action: 'skip' });
  assert.deepEqual(notInstalled({}, '24.0.0'), { action: 'skip' });
  assert.deepEqual(plan({}, '24.0.0', present), { action: 'skip' });
  assert.deepEqual(plan({ ELECTRON_SKIP_BINARY_DOWNLOAD: '0' }, '22.12.0'), { action: 'download' });
  const old = plan({}, '20.19.0');
  assert.equal(old.action, 'skip');
  assert.match(old.message, /needs Node\.js 22\.12\.0 or later.*Node\.js 20\.19\.0.*the CLI and `npm run serve` work/);
  assert.deepEqual(ran(none), []);
  assert.deepEqual(
    ['20.19.0', '22.11.9', '22.12.0', '22.13.0', '23.0.0', '24.1.0'].map((v) => nodeAtLeast(v, ELECTRON_MIN_NODE)),
    [false, false, true, true, true, true],
  );
});

test('npm install never fails on the Electron download', () => {
  // A download, where this Node.js attempts one, goes to a closed port on this machine: nothing leaves it.
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: join(root, 'cache') };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const run = spawnSync(process.execPath, ['scripts/install-electron.mjs'], { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  if (!nodeAtLeast(process.versions.node)) assert.match(run.stdout, /needs Node\.js 22\.12\.0 or later/);
  else if (!findElectronBinary().ok) assert.match(run.stdout, /could not be downloaded/);

  const skipped = spawnSync(process.execPath, ['scripts/install-electron.mjs'], {
    cwd: REPO,
    env: { ...env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    encoding: 'utf8',
  });
  assert.deepEqual([skipped.status, skipped.stdout], [0, '']);
});
