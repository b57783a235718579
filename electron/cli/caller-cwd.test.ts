// Relative paths mean the caller's folder: through this checkout's `npm run keyturn` (npm moves to the checkout and
// leaves the caller in INIT_CWD), and not INIT_CWD when a user's own npm script runs Keyturn in their package root.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../test/support/run-cli.js';
import { npmCallerCwd } from './caller-cwd.js';
import { runProcess, type ShellRun } from '../../test/support/keyturn-shim.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const TSX = createRequire(import.meta.url).resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'keyturn-cwd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function npm(args: string[], cwd: string): Promise<ShellRun> {
  // Only what a shell would pass: no npm_* variables of the test runner's own npm leak in.
  return runProcess('npm', args, { cwd, env: { PATH: process.env.PATH, HOME: dir, KEYTURN_HOME: join(dir, 'home'), NO_COLOR: '1' } });
}

test("this checkout's `npm run keyturn` resolves paths against the folder it was typed in", async () => {
  const project = join(dir, 'project', 'backend');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, '.env'), 'SECRET_KEY=changeme\n', { mode: 0o600 });
  const r = await npm(['--prefix', REPO, 'run', '-s', 'keyturn', '--', 'env', 'check', '.env', '--json'], project);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string }[] }[] };
  assert.deepEqual(
    report.files.map((f) => f.path),
    ['.env'],
    'the path is shown relative to the caller, as typed',
  );
  assert.ok(
    report.files[0]!.findings.some((f) => f.code === 'weak-value'),
    'and it is the caller’s file that was read',
  );
});

test("a user's own npm script keeps npm's folder (their package root), not INIT_CWD", async () => {
  const project = join(dir, 'user-app');
  const sub = join(project, 'src', 'deep');
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(project, '.env'), 'PORT=8080\n', { mode: 0o600 });
  const cli = `node --import ${JSON.stringify(TSX)} ${JSON.stringify(join(REPO, 'electron', 'cli', 'main.ts'))}`;
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-app', private: true, scripts: { check: `${cli} env check .env` } }),
  );
  const r = await npm(['run', '-s', 'check'], sub);
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.equal(r.stdout, 'No problems found in 1 file.\n', 'the script’s .env is the one in its package root');
});

test('INIT_CWD counts only for this checkout’s CLI scripts, while still in the checkout’s root', () => {
  const ours = { INIT_CWD: dir, npm_lifecycle_event: 'keyturn', npm_package_json: join(REPO, 'package.json') };
  assert.equal(npmCallerCwd(ours, REPO, REPO), dir);
  assert.equal(npmCallerCwd({ ...ours, npm_lifecycle_event: 'serve' }, REPO, REPO), dir);
  assert.equal(npmCallerCwd({ ...ours, npm_package_json: join(dir, 'package.json') }, REPO, REPO), null, 'a user’s own script');
  assert.equal(npmCallerCwd({ ...ours, npm_lifecycle_event: 'test:unit' }, REPO, REPO), null, 'npm test’s children inherit INIT_CWD');
  assert.equal(npmCallerCwd(ours, REPO, dir), null, 'started elsewhere on purpose (a test, a script)');
  assert.equal(npmCallerCwd({ INIT_CWD: dir }, REPO, REPO), null, 'no npm at all');
  assert.equal(npmCallerCwd({ ...ours, INIT_CWD: join(dir, 'gone') }, REPO, REPO), null);
});

test('a CLI started by a test under `npm run test:unit` stays in the folder it was started in', async () => {
  const folder = join(dir, 'under-npm-test');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, '.env'), 'PORT=8080\n', { mode: 0o600 });
  const npmVars = { INIT_CWD: REPO, npm_lifecycle_event: 'test:unit', npm_package_json: join(REPO, 'package.json') };
  const r = await runCli(['env', 'check', '.env'], { cwd: folder, env: { HOME: dir, KEYTURN_HOME: join(dir, 'home'), ...npmVars } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'No problems found in 1 file.\n');
});
