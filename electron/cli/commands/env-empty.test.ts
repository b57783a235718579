// No green on nothing: `env check` on a tree without .env files fails with a sentence unless --allow-empty, and shell
// scripts that export variables (as the HRMS runbook's) are checked with --shell or named as not checked.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { runCli } from '../../../test/support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-env-empty-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const keyturn = (...args: string[]) => runCli(args, { cwd: dir, env: { HOME: dir, KEYTURN_HOME: join(dir, 'home') } });

// As the runbook's Step 2 and Step 3 scripts set them.
const RUNBOOK = [
  '#!/bin/bash',
  'cd /workspaces/HRAPP',
  'export DOTNET_ENVIRONMENT=Production',
  'export JWT_SECRET="your-production-jwt-secret-here"',
  'echo "[$(date)] Verifying database connectivity..."',
  '',
].join('\n');

test('a folder without .env files exits 1 with a sentence; --allow-empty makes it a pass that says so', async () => {
  mkdirSync(join(dir, 'empty', 'src'), { recursive: true });
  writeFileSync(join(dir, 'empty', 'src', 'app.py'), 'print(1)\n');
  const [none, allowed, json] = await Promise.all([
    keyturn('env', 'check', 'empty'),
    keyturn('env', 'check', 'empty', '--allow-empty'),
    keyturn('env', 'check', 'empty', '--json'),
  ]);
  assert.equal(none.code, 1, none.stdout);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /^keyturn: No \.env file was found in empty .*so nothing was checked\..*--allow-empty.*\[nothing-checked\]\n$/);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(allowed.stdout, 'No .env file was found, so nothing was checked (allowed by --allow-empty).\n');
  assert.equal(json.code, 1);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'nothing-checked');
});

test('shell scripts that export variables: named as not checked, or checked on their export lines with --shell', async () => {
  mkdirSync(join(dir, 'scripts-only'));
  writeFileSync(join(dir, 'scripts-only', 'execute_migration.sh'), RUNBOOK);
  writeFileSync(join(dir, 'scripts-only', 'build.sh'), '#!/bin/sh\nmake\n');
  const [unchecked, shell] = await Promise.all([
    keyturn('env', 'check', 'scripts-only', '--profile', 'hrms-security-enhancements'),
    keyturn('env', 'check', 'scripts-only', '--profile', 'hrms-security-enhancements', '--shell', '--json'),
  ]);
  assert.equal(unchecked.code, 1);
  assert.match(unchecked.stderr, /1 shell script exports variables: add --shell to check them\./);
  assert.equal(shell.code, 1, shell.stderr);
  const report = JSON.parse(shell.stdout) as EnvReport;
  assert.deepEqual(
    report.files.map((f) => [f.path, f.role]),
    [['scripts-only/execute_migration.sh', 'shell']],
    'a script that sets nothing is not listed',
  );
  assert.deepEqual(
    report.files[0]!.findings.map((f) => `${f.line}:${f.severity}:${f.code}:${f.variable}`),
    ['4:error:weak-value:JWT_SECRET'],
    'the placeholder is caught on its line; a script is not blamed for the variables it does not export',
  );
  const finding = report.files[0]!.findings[0]!;
  assert.equal(finding.fix?.command, undefined, 'env fix does not edit scripts, so it is not suggested');
  assert.doesNotMatch(finding.message, /keyturn env fix/);
  assert.match(finding.message, /e\.g\. one from `keyturn generate jwt-hmac`/, 'a command that works instead');
  assert.equal(report.checked, 1);

  // Beside a .env file, a script is a note, not a silent gap.
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', '.env'), 'PORT=8080\n', { mode: 0o600 });
  writeFileSync(join(dir, 'app', 'deploy.sh'), RUNBOOK);
  const mixed = await keyturn('env', 'check', 'app');
  assert.equal(mixed.code, 0, mixed.stderr);
  assert.match(mixed.stdout, /app\/deploy\.sh is a shell script that exports 2 variables; it was not checked\. Add --shell/);
});
