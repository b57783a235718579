// Every command `env check` suggests works as pasted: on copies of the fixtures, each one (keyturn, chmod, git) runs in
// a shell with exit 0, and a second check no longer reports what it was suggested for. (The stale-value suggestion
// needs a keychain and is run as pasted in env-rotation.test.ts; the UI's buttons are clicked in e2e/suggestions.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { keyturnOnPath, runShell } from '../../../test/support/keyturn-shim.js';
import { runCli } from '../../../test/support/run-cli.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const root = mkdtempSync(join(tmpdir(), 'keyturn-suggest-'));
after(() => rmSync(root, { recursive: true, force: true }));
const PATH = keyturnOnPath(root);

interface Scope {
  name: string;
  paths: string[];
  args: string[];
  /** Commands that make a value to paste (keyturn generate) succeed, but nothing in the file changes by them. */
  prepare?: (dir: string) => void;
}

const PROFILES = [
  'resumerag-phase2',
  'docscan-rolling-upgrade',
  'hrms-security-enhancements',
  'namaskah-security-2.4',
  'muestras-fastapi-users',
];
const RULE_DIRS = ['fx/rules', 'fx/drift', 'fx/annotated', 'fx/conflict'];
const RUNBOOK = '#!/bin/bash\nexport DOTNET_ENVIRONMENT=Production\nexport JWT_SECRET="your-production-jwt-secret-here"\n';

const SCOPES: Scope[] = [
  ...PROFILES.map((p) => ({ name: p, paths: [`fx/profiles/${p}`], args: ['--profile', p] })),
  { name: 'schema', paths: RULE_DIRS, args: ['--schema', 'fx/rules/keyturn-env.json'] },
  { name: 'no rules', paths: RULE_DIRS, args: [] },
  {
    name: 'git and scripts',
    paths: ['repo'],
    args: ['--profile', 'hrms-security-enhancements', '--shell'],
    prepare: (dir) => {
      const repo = join(dir, 'repo');
      mkdirSync(join(repo, 'app'), { recursive: true });
      writeFileSync(
        join(repo, 'app', '.env'),
        'JWT_SECRET=Qm9yZWFsLXJhbmRvbS1rZXktbWF0ZXJpYWwtZm9yLXRlc3Rz9x\nConnectionStrings__Main=Host=db;Password=Vq3rT9zLp2Wx7Kd\n',
      );
      chmodSync(join(repo, 'app', '.env'), 0o600);
      writeFileSync(join(repo, 'deploy.sh'), RUNBOOK);
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, stdio: 'ignore' });
      git('init', '-q');
      git('add', 'app/.env', 'deploy.sh');
      git('commit', '-qm', 'oops');
    },
  },
];

/** Commands a finding suggests: its fix command and every backticked `keyturn|chmod|git ...` in its message. */
function suggested(message: string, command: string | undefined): string[] {
  const quoted = [...message.matchAll(/`((?:keyturn|chmod|git) [^`]+)`/g)].map((m) => m[1]!);
  return [...new Set([...(command ? [command] : []), ...quoted])];
}

const key = (path: string, code: string, variable: string | undefined) => `${path} ${code} ${variable ?? ''}`;

for (const scope of SCOPES) {
  test(`every suggestion for ${scope.name} runs and clears its finding`, async () => {
    const dir = join(root, scope.name.replace(/\W+/g, '-'));
    cpSync(join(REPO, 'test', 'fixtures', 'env'), join(dir, 'fx'), { recursive: true });
    scope.prepare?.(dir);
    const env = { HOME: dir, KEYTURN_HOME: join(dir, 'home') };
    const check = async (): Promise<EnvReport> => {
      const r = await runCli(['env', 'check', ...scope.paths, ...scope.args, '--format', 'json'], { cwd: dir, env });
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      return JSON.parse(r.stdout) as EnvReport;
    };
    const before = await check();
    const commands = new Map<string, Set<string>>();
    for (const file of before.files)
      for (const f of file.findings)
        for (const c of suggested(f.message, f.fix?.command)) {
          if (!commands.has(c)) commands.set(c, new Set());
          commands.get(c)!.add(key(file.path, f.code, f.variable));
        }
    assert.ok(commands.size > 0, 'the scope suggests something');
    for (const command of commands.keys()) {
      const r = await runShell(command, { cwd: dir, env: { ...env, PATH } });
      assert.equal(r.code, 0, `\`${command}\` failed: ${r.stderr}`);
    }
    const remaining = new Set((await check()).files.flatMap((file) => file.findings.map((f) => key(file.path, f.code, f.variable))));
    for (const [command, targets] of commands) {
      if (command.startsWith('keyturn generate ')) continue; // prints a value to paste; the file is the user's to edit
      for (const target of targets) assert.ok(!remaining.has(target), `after \`${command}\`, still: ${target}`);
    }
  });
}
