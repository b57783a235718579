// Composition is lazy: `keyturn env check` never loads the keychain module, a cloud SDK, a database driver or the
// escrow libraries; storing a key does load the keychain (so the trace can tell).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { startSecretService } from '../../test/support/secret-service.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const TSX = createRequire(import.meta.url).resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'keyturn-lazy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Packages a command loads only when it uses them. */
const HEAVY = [
  'keytar',
  '@aws-sdk/',
  '@azure/',
  'pg/',
  'mysql2',
  'libsql',
  'better-sqlite3',
  'shamir-secret-sharing',
  'age-encryption',
  'pdf-lib',
  'qrcode',
];

function modulesLoadedBy(args: string[], name: string, env: NodeJS.ProcessEnv = {}): string[] {
  const trace = join(dir, `${name}.trace`);
  writeFileSync(trace, '');
  const script = [join(REPO, 'electron', 'cli', 'main.ts'), ...args];
  const run = spawnSync(process.execPath, ['--import', TSX, '--import', join(REPO, 'test', 'support', 'module-trace.mjs'), ...script], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, KEYTURN_HOME: join(dir, 'home'), ...env, KEYTURN_MODULE_TRACE: trace },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.ok(run.status === 0 || run.status === 1, `${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

test('env check loads none of the heavy or native modules; storing a key loads the keychain', async () => {
  writeFileSync(join(dir, '.env'), 'PORT=8080\n', { mode: 0o600 });
  const check = modulesLoadedBy(['env', 'check', '.env'], 'check');
  assert.ok(
    check.some((url) => url.endsWith('/electron/cli/commands/env.ts')),
    'the trace saw the command itself',
  );
  assert.deepEqual(
    HEAVY.filter((pkg) => check.some((url) => url.includes(`/node_modules/${pkg}`))),
    [],
  );
  const keyring = await startSecretService({ unlocked: true });
  try {
    const store = modulesLoadedBy(['generate', 'secret', '--name', 'lazy', '--store'], 'store', keyring.env);
    assert.ok(
      store.some((url) => url.includes('/node_modules/keytar/')),
      'storing loads keytar, so the trace would show a heavy module if env check loaded one',
    );
  } finally {
    await keyring.stop();
  }
});
