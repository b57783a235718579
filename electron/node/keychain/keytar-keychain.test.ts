// The keytar adapter against a real gnome-keyring on a private D-Bus session: round trips read back with secret-tool,
// chunking, and every failure mode produced for real (no bus, no provider, no collection, locked, never answering),
// each in its own process (libsecret caches its connection per process), each answered with its code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { generateKey } from '../crypto/generate-key.js';
import { startSecretService, type SecretServiceScenario, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { secretToolLookup } from '../../../test/support/run-cli.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const DRIVER = join(REPO, 'test', 'support', 'keychain-driver.ts');

interface Result {
  ok: boolean;
  value?: unknown;
  code?: string;
  message?: string;
}

/** Runs the ops in a fresh process; a child still running after 10 s is killed, so a hang fails the test. */
function drive(env: NodeJS.ProcessEnv, ops: object[], timeoutMs = 5_000): Promise<Result[]> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      if (code !== 0) reject(new Error(`driver ended with ${code ?? signal}: ${err.slice(0, 500)}`));
      else done(JSON.parse(out) as Result[]);
    });
    child.stdin.end(JSON.stringify({ timeoutMs, ops }));
  });
}

async function withService<T>(scenario: SecretServiceScenario, work: (s: SecretServiceSession) => Promise<T>): Promise<T> {
  const session = await startSecretService({ scenario });
  try {
    return await work(session);
  } finally {
    await session.stop();
  }
}

describe('keytar adapter on an unlocked gnome-keyring', { timeout: 120_000 }, () => {
  test('every kind of key round-trips, and secret-tool reads back exactly what was stored', async () => {
    const kinds = ['fernet', 'secret', 'jwt-hmac', 'jwt-rsa', 'jwt-ec', 'jwt-ed25519'] as const;
    const keys = await Promise.all(kinds.map((kind) => generateKey({ kind })));
    await withService('unlocked', async ({ env }) => {
      const ops = keys.flatMap((k, i) => [
        { op: 'set', account: `k${i}@v1`, value: k.secret },
        { op: 'get', account: `k${i}@v1` },
      ]);
      const results = await drive(env, [...ops, { op: 'list' }, { op: 'status' }]);
      keys.forEach((k, i) => {
        assert.deepEqual(results[i * 2], { ok: true, value: 1 }, kinds[i]);
        assert.deepEqual(results[i * 2 + 1], { ok: true, value: k.secret }, kinds[i]);
      });
      assert.deepEqual(results.at(-2), { ok: true, value: kinds.map((_, i) => `k${i}@v1`) });
      assert.equal((results.at(-1)!.value as { state: string }).state, 'ok');
      for (const [i, k] of keys.entries()) {
        const looked = await secretToolLookup(env, 'keyturn', `k${i}@v1`);
        assert.equal(looked.code, 0);
        assert.equal(looked.value, k.secret, `secret-tool disagrees for ${kinds[i]}`);
      }
      const after = await drive(env, [
        { op: 'delete', account: 'k0@v1' },
        { op: 'get', account: 'k0@v1' },
        { op: 'delete', account: 'k0@v1' },
      ]);
      assert.deepEqual(after, [
        { ok: true, value: true },
        { ok: true, value: null },
        { ok: true, value: false },
      ]);
      assert.equal((await secretToolLookup(env, 'keyturn', 'k0@v1')).code, 1);
    });
  });

  test('a value over the chunk size is split into entries secret-tool can see, and reassembled on read', async () => {
    const rsa = await generateKey({ kind: 'jwt-rsa', bits: 4096 });
    await withService('unlocked', async ({ env }) => {
      const small = { ...env, KEYTURN_KEYCHAIN_CHUNK_BYTES: '700' };
      const results = await drive(small, [
        { op: 'set', account: 'big@v1', value: rsa.secret },
        { op: 'get', account: 'big@v1' },
        { op: 'list' },
      ]);
      const chunks = Math.ceil(Buffer.byteLength(rsa.secret) / 700);
      assert.deepEqual(results[0], { ok: true, value: chunks });
      assert.deepEqual(results[1], { ok: true, value: rsa.secret });
      assert.deepEqual(results[2], { ok: true, value: ['big@v1'] });
      const manifest = await secretToolLookup(env, 'keyturn', 'big@v1');
      assert.match(manifest.value, new RegExp(`^keyturn-chunked:v1:${chunks}:[0-9a-f]{64}$`));
      let joined = '';
      for (let i = 1; i <= chunks; i += 1) {
        const part = await secretToolLookup(env, 'keyturn', `big@v1#${i}`);
        assert.ok(Buffer.byteLength(part.value) <= 700);
        joined += part.value;
      }
      assert.equal(joined, rsa.secret);
      // With the default size (2,500 bytes, under Windows' 2,560) a 4096-bit PEM still needs two entries.
      const byDefault = await drive(env, [
        { op: 'set', account: 'big2@v1', value: rsa.secret },
        { op: 'get', account: 'big2@v1' },
        { op: 'delete', account: 'big@v1' },
      ]);
      assert.deepEqual(byDefault.slice(0, 2), [
        { ok: true, value: 2 },
        { ok: true, value: rsa.secret },
      ]);
      assert.equal((await secretToolLookup(env, 'keyturn', 'big@v1#1')).code, 1);
    });
  });
});

describe('keytar adapter failure modes, each produced for real', { timeout: 120_000 }, () => {
  const write = { op: 'set', account: 'x@v1', value: 'dmFsdWUtdGhhdC1tdXN0LW5vdC1sYW5k' };

  test('no D-Bus session bus: keychain-no-dbus', async () => {
    await withService('no-bus', async ({ env }) => {
      const [status, set, get] = await drive(env, [{ op: 'status' }, write, { op: 'get', account: 'x@v1' }]);
      assert.equal((status!.value as { code: string }).code, 'keychain-no-dbus');
      assert.equal(set!.code, 'keychain-no-dbus');
      assert.equal(get!.code, 'keychain-no-dbus');
      assert.match(set!.message!, /D-Bus/);
    });
  });

  test('a bus without any Secret Service provider: keychain-no-provider', async () => {
    await withService('no-provider', async ({ env }) => {
      const [status, set, get] = await drive(env, [{ op: 'status' }, write, { op: 'get', account: 'x@v1' }]);
      assert.equal((status!.value as { code: string }).code, 'keychain-no-provider');
      assert.equal(set!.code, 'keychain-no-provider');
      assert.equal(get!.code, 'keychain-no-provider');
    });
  });

  test('gnome-keyring started but never given a keyring: keychain-no-collection', async () => {
    await withService('no-collection', async ({ env }) => {
      const [status, set] = await drive(env, [{ op: 'status' }, write]);
      assert.equal((status!.value as { code: string }).code, 'keychain-no-collection');
      assert.equal(set!.code, 'keychain-no-collection');
    });
  });

  test('a locked keyring: keytar alone reads null, the adapter says keychain-locked for reads, writes and listing', async () => {
    await withService('locked', async ({ env }) => {
      const [status, raw, get, set, list] = await drive(env, [
        { op: 'status' },
        { op: 'raw-get', account: 'x@v1' },
        { op: 'get', account: 'x@v1' },
        write,
        { op: 'list' },
      ]);
      assert.deepEqual(
        [(status!.value as { state: string }).state, (status!.value as { code: string }).code],
        ['locked', 'keychain-locked'],
      );
      assert.deepEqual(raw, { ok: true, value: null });
      assert.equal(get!.code, 'keychain-locked');
      assert.equal(set!.code, 'keychain-locked');
      // findCredentials would crash the process on a locked keyring; the adapter checks first.
      assert.equal(list!.code, 'keychain-locked');
    });
  });

  test('a keyring that was unlocked, used and then locked: its entry is reported locked, never absent', async () => {
    await withService('unlocked', async (session) => {
      await drive(session.env, [write]);
      await session.lock();
      const [raw, get, status] = await drive(session.env, [
        { op: 'raw-get', account: 'x@v1' },
        { op: 'get', account: 'x@v1' },
        { op: 'status' },
      ]);
      assert.deepEqual(raw, { ok: true, value: null });
      assert.equal(get!.code, 'keychain-locked');
      assert.equal((status!.value as { state: string }).state, 'locked');
    });
  });

  test('a provider that never answers: keychain-timeout, or keychain-cancelled when the caller gives up; the process still ends', async () => {
    await withService('stalled', async ({ env }) => {
      const [status, get, cancelled] = await drive(
        env,
        [{ op: 'status' }, { op: 'get', account: 'x@v1' }, { op: 'set', account: 'x@v1', value: 'abc', cancelAfterMs: 200 }],
        1_500,
      );
      assert.equal(status!.code, 'keychain-timeout');
      assert.equal(get!.code, 'keychain-timeout');
      assert.match(get!.message!, /did not answer within 1\.5 s/);
      assert.equal(cancelled!.code, 'keychain-cancelled');
    });
  });
});
