// Issue 9, item 1: canary secrets planted in every place `env check` reads text that is not a variable name (stray
// lines, an unquoted PEM, a symlink out of the tree, a bad --schema file) appear in no output: text, JSON, SARIF,
// errors, `env fix`, or the job files under KEYTURN_HOME. And a private key checked directly cannot be rebuilt.
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { canariesIn, canaryFilesUnder, plantCanaryTree, type CanaryTree } from '../../../test/support/canary-tree.js';
import { runCli, type CliRun } from '../../../test/support/run-cli.js';

let dir: string;
let home: string;
let tree: CanaryTree;

before(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-canary-')));
  home = join(dir, 'keyturn-home');
  tree = plantCanaryTree(join(dir, 'project'), join(dir, 'dot-ssh'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keyturn(...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: tree.root, env: { HOME: dir, KEYTURN_HOME: home, NO_COLOR: '1' } });
}

test('no output of env check, env fix or a job holds a planted canary', async () => {
  const runs = await Promise.all([
    keyturn('env', 'check', '.'),
    keyturn('env', 'check', '.', '--format', 'json'),
    keyturn('env', 'check', '.', '--format', 'sarif', '--job', '--no-progress'),
    keyturn('env', 'check', 'app/.env', '--example', 'app/.env.example', '--format', 'json'),
    keyturn('env', 'check', tree.outsideKey),
    ...tree.badSchemas.map((schema) => keyturn('env', 'check', '.', '--schema', schema, '--format', 'json')),
    keyturn('env', 'fix', 'app/.env', '--dry-run'),
  ]);
  const [text, json, sarif, explicit, , badJson, badFields, fix] = runs;
  for (const [i, run] of runs.entries()) {
    assert.deepEqual(canariesIn(run.stdout, tree.canaries), [], `stdout of run ${i}`);
    assert.deepEqual(canariesIn(run.stderr, tree.canaries), [], `stderr of run ${i}`);
  }
  assert.ok(readdirSync(join(home, 'jobs')).length > 0, 'the --job run left its files');
  assert.deepEqual(canaryFilesUnder(home, tree.canaries), [], 'job files under KEYTURN_HOME');
  assert.equal(text!.code, 1, text!.stderr);
  // The link out of the tree is named in a note, and nothing of its target is read.
  const report = JSON.parse(json!.stdout) as EnvReport;
  const link = report.files.find((f) => f.path === 'repo/.env');
  assert.deepEqual(
    link?.findings.map((f) => [f.code, f.severity]),
    [['skipped-file', 'info']],
  );
  assert.match(link!.findings[0]!.message, /symbolic link to a file outside the folder being checked/);
  const app = report.files.find((f) => f.path === 'app/.env')!;
  assert.ok(app.findings.filter((f) => f.code === 'not-a-variable').length >= 3, 'each stray line is reported by its line');
  assert.ok(app.findings.some((f) => f.code === 'invalid-format' && f.variable === 'JWT_PRIVATE_KEY'));
  // The SARIF came from a job, so its files under KEYTURN_HOME/jobs are searched below.
  assert.equal(sarif!.code, 1, sarif!.stderr);
  assert.equal(JSON.parse(sarif!.stdout).runs[0].results.length, report.files.flatMap((f) => f.findings).length);
  assert.ok(JSON.parse(explicit!.stdout).files.some((f: { path: string }) => f.path === 'app/.env.example'));
  // The bad schemas are input errors with a sentence that quotes nothing of them.
  for (const bad of [badJson!, badFields!]) {
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /is not a valid Keyturn schema/);
  }
  assert.match(badJson!.stderr, /it is not JSON/);
  assert.match(badFields!.stderr, /1 field\(s\) not part of the format/);
  assert.equal(fix!.code, 2, fix!.stderr);
});

test('the private-key reproduction from the issue no longer rebuilds the key', async () => {
  const run = await keyturn('env', 'check', tree.outsideKey, '--format', 'json');
  const findings = (JSON.parse(run.stdout) as EnvReport).files.flatMap((f) => f.findings);
  assert.ok(findings.length > 20, 'every line of the key is still reported');
  // What the reporter did: take each finding's variable, in line order, between the PEM armour lines.
  const names = findings
    .filter((f) => f.variable !== undefined)
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map((f) => f.variable!);
  assert.deepEqual(names, [], 'no finding names a variable: the file has none');
  const rebuilt = ['-----BEGIN PRIVATE KEY-----', ...names, '-----END PRIVATE KEY-----', ''].join('\n');
  assert.throws(() => createPrivateKey(rebuilt));
  assert.notEqual(rebuilt, tree.outsideKeyPem);
  const body = tree.outsideKeyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  for (const line of body) assert.ok(!run.stdout.includes(line));
});
