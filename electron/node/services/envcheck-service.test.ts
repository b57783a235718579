// `check` on real files: discovery, permissions, git tracking, sibling examples, rule files and input errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { compose } from '../compose.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { createEnvCheckService } from './envcheck-service.js';
import { generateKey } from '../crypto/generate-key.js';
import { createGenerateService } from './generate-service.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'env');
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyturn-envcheck-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function service(cwd: string) {
  const vault = compose({ config: { home: `${cwd}.keyturn-home` }, keychain: new MemoryKeychain() }).vault;
  return createEnvCheckService({ generate: createGenerateService(), vault, cwd: () => cwd });
}

const codes = (report: EnvReport, path: string): string[] =>
  (report.files.find((f) => f.path === path)?.findings ?? []).map((f) => `${f.line ?? '-'}:${f.severity}:${f.code}:${f.variable ?? ''}`);

async function put(path: string, text: string | Buffer, mode = 0o600): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  await chmod(path, mode);
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'ignore' });
}

test('folders are searched for .env files, skipping node_modules, .git, .envrc and symlinked folders', async () => {
  const dir = join(root, 'discover');
  await put(join(dir, '.env'), 'A=1\n');
  await put(join(dir, 'api', '.env.production'), 'A=1\n');
  await put(join(dir, 'api', 'deep', 'er', 'staging.env'), 'A=1\n');
  await put(join(dir, 'api', '.env.example'), 'A=\n');
  await put(join(dir, '.envrc'), 'export A=1\n');
  await put(join(dir, 'node_modules', 'pkg', '.env'), 'A=1\n');
  await put(join(dir, 'README.md'), 'A=1\n');
  git(dir, 'init', '-q');
  await put(join(dir, '.git', '.env'), 'A=1\n');
  await symlink(dir, join(dir, 'api', 'loop'));
  const report = await service(dir).check({ paths: ['.'] });
  assert.deepEqual(
    report.files.map((f) => [f.path, f.role]),
    [
      ['.env', 'env'],
      ['api/.env.example', 'example'],
      ['api/.env.production', 'env'],
      ['api/deep/er/staging.env', 'env'],
    ],
  );
});

test('group- or world-readable files are flagged; world-writable ones are errors; private ones pass', async () => {
  const dir = join(root, 'perms');
  await put(join(dir, 'a', '.env'), 'A=1\n', 0o644);
  await put(join(dir, 'b', '.env'), 'A=1\n', 0o640);
  await put(join(dir, 'c', '.env'), 'A=1\n', 0o666);
  await put(join(dir, 'd', '.env'), 'A=1\n', 0o600);
  const report = await service(dir).check({ paths: ['.'] });
  assert.deepEqual(codes(report, 'a/.env'), ['-:warning:insecure-permissions:']);
  assert.deepEqual(codes(report, 'b/.env'), ['-:warning:insecure-permissions:']);
  assert.deepEqual(codes(report, 'c/.env'), ['-:error:insecure-permissions:']);
  assert.deepEqual(codes(report, 'd/.env'), []);
  assert.match(report.files.find((f) => f.path === 'a/.env')!.findings[0]!.message, /chmod 600 a\/\.env/);
});

test('files git tracks are flagged: an error when they hold secrets; untracked and ignored ones are not', async () => {
  const dir = join(root, 'git');
  git(dir.replace(/git$/, ''), 'init', '-q', 'git');
  await put(join(dir, '.env'), `SECRET_KEY=${(await generateKey({ kind: 'secret' })).secret}\n`);
  await put(join(dir, 'web', '.env.development'), 'VITE_API_URL=http://localhost:8000\n');
  await put(join(dir, '.env.local'), 'SECRET_KEY=x\n');
  await put(join(dir, 'not a repo name', '.env'), 'A=1\n');
  git(dir, 'add', '.env', 'web/.env.development');
  const report = await service(dir).check({ paths: ['.'] });
  assert.deepEqual(codes(report, '.env'), ['-:error:tracked-by-git:']);
  assert.deepEqual(codes(report, 'web/.env.development'), ['-:warning:tracked-by-git:']);
  assert.ok(!codes(report, '.env.local').some((c) => c.includes('tracked-by-git')));
  assert.deepEqual(codes(report, 'not a repo name/.env'), []);
  assert.match(report.files.find((f) => f.path === '.env')!.findings[0]!.message, /git rm --cached \.env/);
});

test('a binary file found in a folder is skipped with a note; named on the command line it is an input error', async () => {
  const dir = join(root, 'binary');
  await put(join(dir, '.env'), 'A=1\n');
  await put(join(dir, '.env.gpg'), Buffer.from([0x85, 0x01, 0x0c, 0x03, 0x00, 0xff, 0x10]));
  const report = await service(dir).check({ paths: ['.'] });
  assert.deepEqual(codes(report, '.env.gpg'), ['-:info:skipped-file:']);
  await assert.rejects(
    service(dir).check({ paths: ['.env.gpg'] }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'unreadable-input' && /binary/.test(e.message),
  );
  await assert.rejects(
    service(dir).check({ paths: ['missing.env'] }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'unreadable-input' && /does not exist/.test(e.message),
  );
  await assert.rejects(
    service(dir).check({ paths: ['.env'], profile: 'nope' }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'usage',
  );
  await put(join(dir, 'bad.json'), '{"variables":{"X":{"type":"nope"}}}');
  await assert.rejects(
    service(dir).check({ paths: ['.env'], schemaFile: 'bad.json' }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-input',
  );
});

test('a .env.example beside a file is its example; --example overrides it; rule conflicts land on the rule files', async () => {
  const dir = join(root, 'examples');
  await cp(join(FIXTURES, 'drift'), join(dir, 'drift'), { recursive: true });
  await cp(join(FIXTURES, 'conflict'), join(dir, 'conflict'), { recursive: true });
  for (const f of ['drift/.env', 'conflict/.env']) await chmod(join(dir, f), 0o600);
  const drift = await service(dir).check({ paths: ['drift'] });
  assert.deepEqual(codes(drift, 'drift/.env'), ['-:warning:missing-from-example:LEGACY_MODE', '3:warning:not-in-example:EXTRA_FLAG']);
  assert.deepEqual(codes(drift, 'drift/.env.example'), []);
  const other = await service(dir).check({ paths: ['drift/.env'], example: 'conflict/.env.example' });
  assert.ok(codes(other, 'drift/.env').includes('1:warning:not-in-example:SECRET_KEY') === false);
  assert.ok(codes(other, 'drift/.env').includes('-:warning:missing-from-example:PII_ENC_KEY'));
  const conflict = await service(dir).check({
    paths: ['conflict/.env'],
    profile: 'resumerag-phase2',
    schemaFile: 'conflict/keyturn-env.json',
  });
  assert.deepEqual(codes(conflict, 'conflict/keyturn-env.json'), [
    '3:warning:rule-conflict:PII_ENC_KEY',
    '4:warning:rule-conflict:MAX_FAILED_ATTEMPTS',
    '5:warning:rule-conflict:SECRET_KEY',
  ]);
  assert.deepEqual(codes(conflict, 'conflict/.env.example'), ['2:warning:rule-conflict:LOCKOUT_DURATION_MINUTES']);
  assert.equal(conflict.files.find((f) => f.path === 'conflict/keyturn-env.json')?.role, 'schema');
});

test('no report over every fixture, with every profile, shows a value from the files', async () => {
  const dir = join(root, 'leak');
  await cp(FIXTURES, dir, { recursive: true });
  const values = new Set<string>();
  const collect = async (path: string): Promise<void> => {
    const { readdir, readFile, stat } = await import('node:fs/promises');
    for (const name of await readdir(path)) {
      const full = join(path, name);
      if ((await stat(full)).isDirectory()) await collect(full);
      else if (!name.endsWith('.json') && !name.endsWith('.md')) {
        // Plain words (production, info) and numbers also occur in rule texts; everything else must never show.
        for (const v of envValues(parseEnv(await readFile(full, 'utf8'))).values())
          if (v && v.length >= 6 && !/^(?:\d+|[A-Za-z]+)$/.test(v)) values.add(v);
      }
    }
  };
  await collect(dir);
  assert.ok(values.size > 40, `${values.size} values`);
  const svc = service(dir);
  for (const profile of [undefined, ...svc.profiles().map((p) => p.id)]) {
    const report = await svc.check(profile ? { paths: ['.'], profile } : { paths: ['.'] });
    const text = JSON.stringify(report);
    for (const v of values) assert.ok(!text.includes(v), `a value of ${v.length} characters appears in the report (profile ${profile})`);
  }
});
