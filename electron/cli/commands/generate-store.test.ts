// `keyturn generate --store` and `keyturn fernet --key NAME` end to end against a real gnome-keyring: keys go straight
// into the keychain without being printed, and Fernet tokens made with stored keys interoperate with Python.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { KEY_KINDS } from '../../../shared/domain/key-kinds.js';
import { runCli, secretToolLookup, type CliRun } from '../../../test/support/run-cli.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';

function python(code: string, input: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('/usr/bin/python3', ['-c', code], { input, env: { ...process.env, ...env } }).toString();
}

describe('generate --store and fernet --key on an unlocked gnome-keyring', { timeout: 300_000 }, () => {
  let s: SecretServiceSession;
  const cli = (args: string[], input?: string): Promise<CliRun> => runCli(args, { env: s.env, ...(input !== undefined ? { input } : {}) });

  before(async () => {
    s = await startSecretService({ unlocked: true });
  });
  after(async () => {
    await s?.stop();
  });

  test('every kind goes into the keychain as NAME@v1; only name, version and fingerprint are printed', async () => {
    for (const kind of KEY_KINDS) {
      const run = await cli(['generate', kind, '--name', `g-${kind}`, '--store', '--tag', 'test']);
      assert.equal(run.code, 0, run.stderr);
      const witness = await secretToolLookup(s.env, 'keyturn', `g-${kind}@v1`);
      assert.equal(witness.code, 0);
      assert.ok(witness.value.length >= 40);
      assert.ok(!run.stdout.includes(witness.value) && !run.stderr.includes(witness.value), `${kind}: the value was printed`);
      for (const line of witness.value.split('\n').filter((l) => l.length > 30)) assert.ok(!run.stdout.includes(line));
      assert.match(run.stdout, new RegExp(`^Stored g-${kind}@v1 \\(${kind}.*fingerprint (hmac|jwk-thumbprint):`));
    }
  });

  test('an explicit --format prints the value on stdout (the summary goes to stderr), and it is what was stored', async () => {
    const run = await cli([
      'generate',
      'secret',
      '--bytes',
      '48',
      '--name',
      'shown',
      '--store',
      '--format',
      'env',
      '--env-var',
      'SHOWN_KEY',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const witness = await secretToolLookup(s.env, 'keyturn', 'shown@v1');
    assert.equal(run.stdout, `SHOWN_KEY=${witness.value}\n`);
    assert.match(run.stderr, /Stored shown@v1 .* env var hint SHOWN_KEY/);
  });

  test('--store and --name go together; anything else is a usage error (exit 2) and stores nothing', async () => {
    assert.equal((await cli(['generate', 'fernet', '--store'])).code, 2);
    assert.equal((await cli(['generate', 'fernet', '--name', 'x'])).code, 2);
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'x@v1')).code, 1);
  });

  test('fernet --key NAME interoperates with Python, and rotate --key NAME moves tokens from v1 to v2', async () => {
    assert.equal((await cli(['generate', 'fernet', '--name', 'pii', '--store'])).code, 0);
    const v1 = (await secretToolLookup(s.env, 'keyturn', 'pii@v1')).value;
    const encrypted = await cli(['fernet', 'encrypt', '--key', 'pii'], 'ssn 123-45-6789');
    assert.equal(encrypted.code, 0, encrypted.stderr);
    const token = encrypted.stdout.trim();
    const decrypt =
      'import os,sys; from cryptography.fernet import Fernet; sys.stdout.write(Fernet(os.environ["K"]).decrypt(sys.stdin.read().strip().encode()).decode())';
    assert.equal(python(decrypt, token, { K: v1 }), 'ssn 123-45-6789');

    assert.equal((await cli(['keys', 'rotate', 'pii'])).code, 0);
    const v2 = (await secretToolLookup(s.env, 'keyturn', 'pii@v2')).value;
    // A bare NAME decrypts with the current version and the retiring ones.
    assert.equal((await cli(['fernet', 'decrypt', '--key', 'pii'], token)).stdout, 'ssn 123-45-6789');
    assert.equal((await cli(['fernet', 'decrypt', '--key', 'pii@v2'], token)).code, 1);
    const rotated = await cli(['fernet', 'rotate', '--key', 'pii'], token);
    assert.equal(rotated.code, 0, rotated.stderr);
    const newToken = rotated.stdout.trim();
    assert.equal(python(decrypt, newToken, { K: v2 }), 'ssn 123-45-6789');
    const timestamps = python(
      'import sys,base64; [print(int.from_bytes(base64.urlsafe_b64decode(t)[1:9],"big")) for t in sys.stdin.read().split()]',
      `${token}\n${newToken}`,
    );
    const [before, afterRotate] = timestamps.trim().split('\n');
    assert.equal(afterRotate, before, 'MultiFernet.rotate keeps the original timestamp');
    // Explicit versions: new key from pii@v2, old from pii@v1.
    const explicit = await cli(['fernet', 'rotate', '--key', 'pii@v2', '--old-key', 'pii@v1'], token);
    assert.equal(python(decrypt, explicit.stdout.trim(), { K: v2 }), 'ssn 123-45-6789');

    const notFernet = await cli(['fernet', 'encrypt', '--key', 'g-secret'], 'x');
    assert.equal(notFernet.code, 2);
    assert.match(notFernet.stderr, /not a Fernet key.*\[invalid-key\]/);
    const audit = JSON.parse((await cli(['audit', '--json', '--limit', '0'])).stdout) as {
      entries: { action: string; key: string; version?: number; target?: string }[];
    };
    const uses = audit.entries.filter((e) => e.action === 'use').map((e) => `${e.key}@v${e.version} ${e.target}`);
    assert.deepEqual(uses.slice(0, 2), ['pii@v1 fernet encrypt', 'pii@v2 fernet decrypt']);
    assert.ok(uses.includes('pii@v1 fernet rotate') && uses.includes('pii@v2 fernet rotate'));
  });
});
