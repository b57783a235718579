import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, secretToolLookup } from '../../../test/support/run-cli.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const renderer = mkdtempSync(join(tmpdir(), 'keyturn-serve-ui-'));
let keyring: SecretServiceSession;

before(async () => {
  // A stand-in for dist/renderer, so this test does not depend on a prior `vite build`.
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Keyturn</title>');
  keyring = await startSecretService({ unlocked: true });
});

after(async () => {
  await keyring?.stop();
  rmSync(renderer, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

function serve(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'electron', 'cli', 'main.ts'), 'serve', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = new Promise<string>((done, fail) => {
    child.stdout.on('data', () => {
      const m = /^Keyturn is running at (\S+)$/m.exec(stdout);
      if (m) done(m[1]!);
    });
    void exited.then((code) => fail(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, exited, output: () => stdout + stderr };
}

test('keyturn serve prints its URL once, stores through the handlers into the real keychain, and stops on SIGTERM', async () => {
  const port = await freePort();
  const run = serve(['--port', String(port)], { ...keyring.env, KEYTURN_RENDERER_DIR: renderer });
  try {
    const url = await run.url;
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})$/.exec(url);
    assert.ok(m, url);
    assert.equal(Number(m[1]), port);
    const token = m[2]!;
    const call = async (channel: string, body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}/ipc/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return (await r.json()) as { ok: boolean; value?: any; error?: { code: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    assert.deepEqual((await call('keychainStatus', {})).value.state, 'ok');
    const draft = (await call('generateKey', { kind: 'jwt-hmac', alg: 'HS384' })).value;
    const stored = await call('storeDraft', { draftId: draft.draftId, name: 'serve-test', envVar: 'JWT_SECRET' });
    assert.equal(stored.ok, true);
    assert.equal(stored.value.version, 1);
    // A reveal needs the code serve prints on its terminal: the first call gets a challenge and no value.
    const asked = await call('revealKey', { name: 'serve-test' });
    assert.deepEqual([asked.ok, asked.error?.code, asked.value], [false, 'confirmation-required', undefined]);
    const challenge = (asked.error as unknown as { details: { challenge: string } }).details.challenge;
    const code = /type (\d{4} \d{4}) in the page/.exec(run.output())![1]!;
    const revealed = (await call('revealKey', { name: 'serve-test', confirmation: { challenge, code } })).value;
    const truth = await secretToolLookup(keyring.env, 'keyturn', 'serve-test@v1');
    assert.equal(truth.code, 0);
    assert.equal(revealed.value, truth.value, 'what the UI reveals is what the Secret Service holds');
    assert.equal(Buffer.from(truth.value, 'base64url').length, 48);
    const again = await call('storeDraft', { draftId: draft.draftId, name: 'serve-test' });
    assert.deepEqual([again.ok, again.error?.code], [false, 'already-exists']);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    assert.ok(!run.output().includes(truth.value), 'the value never reaches the server output');
    assert.equal(run.output().match(/#token=/g)?.length, 1, 'the token is printed once');
  } finally {
    run.child.kill('SIGKILL');
  }
});

test('a bad --port is a usage error (exit 2, one line)', async () => {
  const result = await runCli(['serve', '--port', '70000'], { env: { ...keyring.env, KEYTURN_RENDERER_DIR: renderer } });
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /--port takes a number from 1 to 65535/);
});

test('a missing renderer build says how to build it (exit 1)', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'keyturn-no-ui-'));
  try {
    const result = await runCli(['serve'], { env: { ...keyring.env, KEYTURN_RENDERER_DIR: empty } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /npm run build:renderer/);
    assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a port already in use is reported in one sentence that names --port (exit 1)', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const { port } = blocker.address() as { port: number };
  try {
    const result = await runCli(['serve', '--port', String(port)], { env: { ...keyring.env, KEYTURN_RENDERER_DIR: renderer } });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`));
    assert.equal(result.stdout, '', 'no URL is printed for a server that did not start');
  } finally {
    blocker.close();
  }
});
