import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';

const REPO = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
// js-yaml is a declared dependency of app-builder-lib (electron-builder reads the same file with it), so use that copy.
const builderDir = dirname(require.resolve('app-builder-lib/package.json'));
const yaml = createRequire(join(builderDir, 'package.json'))('js-yaml') as { load(text: string): unknown };
const scheme = JSON.parse(readFileSync(join(builderDir, 'scheme.json'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const config = yaml.load(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as Config;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  return ajv.compile(scheme);
}

test('electron-builder.yml is valid against app-builder-lib scheme.json', () => {
  const validate = validator();
  const valid = validate(config);
  assert.equal(valid, true, JSON.stringify(validate.errors, null, 2));
});

test('the validation really rejects unknown keys, at the top and nested', () => {
  assert.equal(scheme.additionalProperties, false, 'the scheme closes the top level');
  const validate = validator();
  for (const broken of [
    { ...config, asarr: true },
    { ...config, mac: { ...config.mac, hardendRuntime: true } },
    { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } },
    { ...config, linux: { ...config.linux, targets: ['deb'] } },
  ]) {
    assert.equal(validate(broken), false, `accepted ${JSON.stringify(Object.keys(broken))}`);
    assert.ok(validate.errors?.some((e) => e.keyword === 'additionalProperties'));
  }
});

test('the fuses a security review asks for are set', () => {
  assert.deepEqual(
    {
      runAsNode: config.electronFuses.runAsNode,
      nodeOptions: config.electronFuses.enableNodeOptionsEnvironmentVariable,
      inspect: config.electronFuses.enableNodeCliInspectArguments,
      onlyAsar: config.electronFuses.onlyLoadAppFromAsar,
      asarIntegrity: config.electronFuses.enableEmbeddedAsarIntegrityValidation,
    },
    { runAsNode: false, nodeOptions: false, inspect: false, onlyAsar: true, asarIntegrity: true },
  );
  assert.equal(config.asar, true);
});

test('targets, hardened runtime and entitlements for every platform', () => {
  const names = (targets: unknown[]) => targets.map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
  assert.deepEqual(names(config.mac.target), ['dmg']);
  assert.deepEqual(names(config.win.target), ['nsis']);
  assert.deepEqual(names(config.linux.target).sort(), ['AppImage', 'deb']);
  assert.equal(config.mac.hardenedRuntime, true);
  const plist = readFileSync(join(REPO, config.mac.entitlements), 'utf8');
  assert.match(plist, /<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
  const granted = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
  for (const risky of ['disable-library-validation', 'allow-dyld-environment-variables', 'disable-executable-page-protection']) {
    assert.ok(!granted.some((key) => key?.endsWith(risky)), `entitlements must not grant ${risky}`);
  }
  assert.equal(config.directories.buildResources, 'build');
});

test('the package matches what the app loads', () => {
  assert.match(config.electronVersion, /^45\./, 'a supported Electron line (the latest three majors get security fixes)');
  assert.equal(config.electronVersion, pkg.devDependencies.electron, 'electronVersion follows the electron devDependency');
  assert.equal(pkg.dependencies.electron, undefined, 'electron-builder refuses electron among the runtime dependencies');
  assert.ok(config.files.includes('!node_modules/electron/**'));
  for (const bundle of ['dist/main/**', 'dist/preload/**', 'dist/renderer/**']) assert.ok(config.files.includes(bundle), bundle);
  assert.equal(pkg.main, 'dist/main/main.cjs');
  assert.ok(pkg.dependencies.keytar, 'keytar ships as a runtime dependency');
  const icon = readFileSync(join(REPO, 'build', 'icon.png'));
  assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
  assert.ok(icon.readUInt32BE(16) >= 512 && icon.readUInt32BE(20) >= 512, 'macOS needs an icon of at least 512x512');
});
