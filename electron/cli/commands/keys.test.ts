// `keyturn keys` end to end: the real CLI in child processes against a real gnome-keyring on a private D-Bus session.
// What Keyturn stored is read back with secret-tool, the files are scanned for every secret, and each failure mode is
// produced for real and answered with its code (the child is killed after 10 s, so a hang fails the test).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, secretToolLookup, type CliRun } from '../../../test/support/run-cli.js';
import { weakSecretReason } from '../../../shared/envcheck/strength.js';
import { filesHoldingSecrets } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceScenario, type SecretServiceSession } from '../../../test/support/secret-service.js';

const WITHIN_10_S = { killAfterMs: 10_000 };

function json<T>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}

/** Keys made by independent tools (Python's cryptography, openssl), so the round trip does not test Keyturn with itself. */
function outsideKeys(): Record<string, string> {
  const quiet = { stdio: ['ignore', 'pipe', 'ignore'] as ('ignore' | 'pipe')[] };
  const py = (code: string): string => execFileSync('/usr/bin/python3', ['-c', code], quiet).toString().trim();
  const pem = (...args: string[]): string => execFileSync('openssl', ['genpkey', ...args], quiet).toString();
  return {
    FERNET_KEY: py('from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'),
    API_SECRET: py('import secrets; print(secrets.token_urlsafe(32))'),
    JWT_HS512: py('import secrets; print(secrets.token_urlsafe(64))'),
    RSA_KEY: pem('-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'),
    EC_KEY: pem('-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'),
    ED_KEY: pem('-algorithm', 'ED25519'),
  };
}

function secretToolStore(env: NodeJS.ProcessEnv, account: string, value: string): Promise<number | null> {
  return new Promise((done, reject) => {
    const child = spawn('secret-tool', ['store', '--label', 'outside', 'service', 'keyturn', 'account', account], {
      env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.once('error', reject);
    child.once('close', done);
    child.stdin.end(value);
  });
}

describe('keyturn keys on an unlocked gnome-keyring', { timeout: 300_000 }, () => {
  let s: SecretServiceSession;
  const stored: string[] = [];
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> => runCli(args, { env: { ...s.env, ...extra } });

  before(async () => {
    s = await startSecretService({ unlocked: true });
  });
  after(async () => {
    await s?.stop();
  });

  test('every kind imported from a .env file is in the keychain exactly as written, and reveal returns it', async () => {
    const keys = outsideKeys();
    stored.push(...Object.values(keys));
    const envFile = join(s.dir, 'app.env');
    writeFileSync(
      envFile,
      Object.entries(keys)
        .map(([k, v]) => `${k}="${v.trimEnd()}"`)
        .join('\n') + '\n',
    );
    const plan: [string, string, string, string[]][] = [
      ['pii-enc-key', 'FERNET_KEY', 'fernet', []],
      ['api-secret', 'API_SECRET', 'secret', []],
      ['jwt-hs512', 'JWT_HS512', 'jwt-hmac', ['--kind', 'jwt-hmac']],
      ['jwt-rsa', 'RSA_KEY', 'jwt-rsa', []],
      ['jwt-ec', 'EC_KEY', 'jwt-ec', []],
      ['jwt-ed', 'ED_KEY', 'jwt-ed25519', []],
    ];
    for (const [name, variable, kind, extra] of plan) {
      const run = await cli(['keys', 'import', name, '--from-env', envFile, '--var', variable, ...extra, '--json']);
      assert.equal(run.code, 0, run.stderr);
      const { key, version } = json<{ key: { kind: string; envVar: string }; version: number }>(run);
      assert.deepEqual([key.kind, key.envVar, version], [kind, variable, 1]);
      assert.ok(!run.stdout.includes(keys[variable]!.trim().split('\n')[1] ?? keys[variable]!));
      const expected = keys[variable]!.trimEnd();
      const witness = await secretToolLookup(s.env, 'keyturn', `${name}@v1`);
      assert.equal(witness.value, expected, `secret-tool sees something else for ${name}`);
      const revealed = await cli(['keys', 'show', name, '--reveal']);
      assert.equal(revealed.code, 0, revealed.stderr);
      assert.equal(revealed.stdout, `${expected}\n`);
    }
    const list = json<{ keys: { name: string; kind: string }[] }>(await cli(['keys', 'list', '--json']));
    assert.deepEqual(list.keys.map((k) => [k.name, k.kind]).sort(), plan.map(([n, , k]) => [n, k]).sort());
    const shown = await cli(['keys', 'show', 'pii-enc-key']);
    assert.equal(shown.code, 0);
    assert.ok(!shown.stdout.includes(keys.FERNET_KEY!));
    assert.match(shown.stdout, /v1\s+current\s+256 bits/);
  });

  test('rotate adds v2 and keeps v1; retire and delete act only with --yes and never on the current version', async () => {
    const gen = await cli(['generate', 'fernet', '--name', 'rot', '--store']);
    assert.equal(gen.code, 0, gen.stderr);
    const v1 = (await secretToolLookup(s.env, 'keyturn', 'rot@v1')).value;
    stored.push(v1);
    assert.match(v1, /^[A-Za-z0-9_-]{43}=$/);
    assert.ok(!gen.stdout.includes(v1), 'generate --store printed the value');

    const rotated = await cli(['keys', 'rotate', 'rot', '--json']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const rec = json<{ key: { current: number; versions: { version: number; status: string }[] } }>(rotated).key;
    assert.deepEqual(
      rec.versions.map((v) => [v.version, v.status]),
      [
        [1, 'retiring'],
        [2, 'current'],
      ],
    );
    const v2 = (await secretToolLookup(s.env, 'keyturn', 'rot@v2')).value;
    stored.push(v2);
    assert.notEqual(v2, v1);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'rot@v1')).value, v1);

    const current = await cli(['keys', 'retire', 'rot', '--version', '2', '--yes']);
    assert.equal(current.code, 1);
    assert.match(current.stderr, /current version.*\[refused\]/);
    const unconfirmed = await cli(['keys', 'retire', 'rot', '--version', '1']);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /--yes/);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'rot@v1')).value, v1);
    const retired = await cli(['keys', 'retire', 'rot', '--version', '1', '--yes']);
    assert.equal(retired.code, 0, retired.stderr);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'rot@v1')).code, 1);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'rot@v2')).value, v2);

    const noYes = await cli(['keys', 'delete', 'rot']);
    assert.equal(noYes.code, 1);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'rot@v2')).value, v2);
    const deleted = await cli(['keys', 'delete', 'rot', '--yes']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'rot@v2')).code, 1);
    assert.equal((await cli(['keys', 'show', 'rot'])).code, 1);
  });

  test('with a lowered chunk size a value is split into entries secret-tool sees, and reveal reassembles it', async () => {
    const small = { KEYTURN_KEYCHAIN_CHUNK_BYTES: '500' };
    const gen = await cli(['generate', 'jwt-rsa', '--bits', '3072', '--name', 'chunky', '--store', '--json'], small);
    assert.equal(gen.code, 0, gen.stderr);
    const chunks = json<{ key: { versions: { chunks: number }[] } }>(gen).key.versions[0]!.chunks;
    assert.ok(chunks >= 4, `expected several chunks, got ${chunks}`);
    const manifest = await secretToolLookup(s.env, 'keyturn', 'chunky@v1');
    assert.match(manifest.value, new RegExp(`^keyturn-chunked:v1:${chunks}:[0-9a-f]{64}$`));
    let joined = '';
    for (let i = 1; i <= chunks; i += 1) joined += (await secretToolLookup(s.env, 'keyturn', `chunky@v1#${i}`)).value;
    stored.push(joined);
    assert.match(joined, /^-----BEGIN PRIVATE KEY-----\n/);
    // Reading needs no special setting: the manifest says how many parts there are.
    const revealed = await cli(['keys', 'show', 'chunky', '--reveal']);
    assert.equal(revealed.stdout, `${joined}\n`);
  });

  test('eight CLI processes storing at once lose no inventory entry, and the audit chain still verifies', async () => {
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => cli(['generate', 'secret', '--name', `burst-${i}`, '--store'])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const names = json<{ keys: { name: string }[] }>(await cli(['keys', 'list', '--json'])).keys.map((k) => k.name);
    for (let i = 0; i < 8; i += 1) {
      assert.ok(names.includes(`burst-${i}`), `burst-${i} missing from the inventory`);
      const value = await secretToolLookup(s.env, 'keyturn', `burst-${i}@v1`);
      assert.equal(value.code, 0);
      stored.push(value.value);
    }
    const verify = await cli(['audit', 'verify', '--json']);
    assert.equal(verify.code, 0, verify.stdout);
    const entries = json<{ entries: { action: string; key: string }[] }>(await cli(['audit', 'list', '--limit', '0', '--json'])).entries;
    assert.equal(entries.filter((e) => e.action === 'generate' && e.key.startsWith('burst-')).length, 8);
  });

  test('an entry replaced or removed outside Keyturn is reported as changed outside, and never overwritten', async () => {
    assert.equal((await cli(['generate', 'secret', '--name', 'tampered', '--store'])).code, 0);
    stored.push((await secretToolLookup(s.env, 'keyturn', 'tampered@v1')).value);
    assert.equal(await secretToolStore(s.env, 'tampered@v1', 'c29tZXRoaW5nLWVsc2UtZW50aXJlbHktMTIzNDU2'), 0);
    const replaced = await cli(['keys', 'show', 'tampered', '--reveal']);
    assert.equal(replaced.code, 1);
    assert.match(replaced.stderr, /changed outside Keyturn.*\[changed-outside\]/);
    assert.equal(replaced.stdout, '');
    execFileSync('secret-tool', ['clear', 'service', 'keyturn', 'account', 'tampered@v1'], { env: s.env });
    const removed = await cli(['keys', 'show', 'tampered', '--reveal', '--json']);
    assert.equal(removed.code, 1);
    assert.equal(json<{ error: { code: string } }>(removed).error.code, 'changed-outside');
    // An entry that appears under the next account is not Keyturn's to replace.
    assert.equal(await secretToolStore(s.env, 'tampered@v2', 'bGVmdC1ieS1hbm90aGVyLXRvb2wtMTIzNDU2Nzg5'), 0);
    const rotate = await cli(['keys', 'rotate', 'tampered']);
    assert.equal(rotate.code, 1);
    assert.match(rotate.stderr, /\[changed-outside\]/);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'tampered@v2')).value, 'bGVmdC1ieS1hbm90aGVyLXRvb2wtMTIzNDU2Nzg5');
  });

  test('a value too large for the keychain is refused with value-too-large', async () => {
    const file = join(s.dir, 'big.env');
    // Random, so the import's own checks pass and the keychain's size limit is what refuses it.
    let big = randomBytes(52_500).toString('base64url');
    while (weakSecretReason(big, 0) !== null) big = randomBytes(52_500).toString('base64url');
    writeFileSync(file, `BIG=${big}\n`);
    const run = await cli(['keys', 'import', 'big', '--from-env', file, '--var', 'BIG']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\[value-too-large\]/);
  });

  test('inventory, its backup, the audit log and its head hold no secret value in any common encoding', async () => {
    assert.equal(stored.length, 18);
    assert.deepEqual(filesHoldingSecrets(s.keyturnHome, stored), []);
    const inventory = readFileSync(join(s.keyturnHome, 'inventory.json'), 'utf8');
    assert.match(inventory, /"fingerprint": "hmac:/);
    assert.doesNotMatch(inventory, /"fingerprint": "sha256:/);
  });

  test('a keyring locked after use: reveal and rotate say locked (never absent), and nothing is generated over it', async () => {
    await s.lock();
    const reveal = await runCli(['keys', 'show', 'pii-enc-key', '--reveal'], { env: s.env, ...WITHIN_10_S });
    assert.equal(reveal.code, 1);
    assert.match(reveal.stderr, /locked.*\[keychain-locked\]/);
    const rotate = await runCli(['keys', 'rotate', 'pii-enc-key', '--json'], { env: s.env, ...WITHIN_10_S });
    assert.equal(json<{ error: { code: string } }>(rotate).error.code, 'keychain-locked');
    const again = await runCli(['generate', 'fernet', '--name', 'pii-enc-key', '--store', '--add-version'], { env: s.env, ...WITHIN_10_S });
    assert.match(again.stderr, /\[keychain-locked\]/);
    const record = json<{ key: { versions: unknown[] } }>(await cli(['keys', 'show', 'pii-enc-key', '--json'])).key;
    assert.equal(record.versions.length, 1);
    const status = await runCli(['keys', 'status', '--json'], { env: s.env, ...WITHIN_10_S });
    assert.equal(status.code, 1);
    assert.deepEqual([json<{ state: string }>(status).state, json<{ code: string }>(status).code], ['locked', 'keychain-locked']);
  });
});

describe('keyturn keys failure modes, each produced for real and answered within 10 s', { timeout: 300_000 }, () => {
  const cases: [SecretServiceScenario, string, string][] = [
    ['no-bus', 'keychain-no-dbus', 'unavailable'],
    ['no-provider', 'keychain-no-provider', 'unavailable'],
    ['no-collection', 'keychain-no-collection', 'unavailable'],
    ['locked', 'keychain-locked', 'locked'],
  ];
  for (const [scenario, code, state] of cases) {
    test(`${scenario}: status and store answer ${code}; nothing lands in a file`, async () => {
      const s = await startSecretService({ scenario });
      try {
        const status = await runCli(['keys', 'status', '--json'], { env: s.env, ...WITHIN_10_S });
        assert.equal(status.code, 1, status.stderr);
        const body = json<{ state: string; code: string; message: string }>(status);
        assert.deepEqual([body.state, body.code], [state, code]);
        assert.ok(body.message.length > 20);
        const store = await runCli(['generate', 'fernet', '--name', 'k', '--store', '--json'], { env: s.env, ...WITHIN_10_S });
        assert.equal(store.code, 1, store.stderr);
        assert.equal(json<{ error: { code: string } }>(store).error.code, code);
        assert.match(store.stderr, new RegExp(`^keyturn: .+ \\[${code}\\]\\n$`));
        const list = json<{ keys: unknown[] }>(await runCli(['keys', 'list', '--json'], { env: s.env }));
        assert.deepEqual(list.keys, []);
        const audit = json<{ entries: { outcome: string; code: string }[] }>(await runCli(['audit', '--json'], { env: s.env }));
        assert.deepEqual(
          audit.entries.map((e) => [e.outcome, e.code]),
          [['failed', code]],
        );
      } finally {
        await s.stop();
      }
    });
  }

  test('a Secret Service that never answers: --timeout ends the call with keychain-timeout and the CLI exits', async () => {
    const s = await startSecretService({ scenario: 'stalled' });
    try {
      const status = await runCli(['keys', 'status', '--timeout', '1.5', '--json'], { env: s.env, ...WITHIN_10_S });
      assert.equal(status.code, 1, status.stderr);
      assert.equal(json<{ code: string }>(status).code, 'keychain-timeout');
      const store = await runCli(['--timeout', '2', 'generate', 'secret', '--name', 'slow', '--store'], { env: s.env, ...WITHIN_10_S });
      assert.equal(store.code, 1, store.stderr);
      assert.match(store.stderr, /did not answer within 2 s.*\[keychain-timeout\]/);
      const bad = await runCli(['keys', 'status', '--timeout', 'soon'], { env: s.env, ...WITHIN_10_S });
      assert.equal(bad.code, 2);
    } finally {
      await s.stop();
    }
  });
});
