// A rotation reaches what uses the key, on a real gnome-keyring through the real CLI: `env set` writes a stored key
// into .env, `env check` reports a value of a retiring or retired version (by fingerprint, no keychain read) and its
// suggested command works as pasted, `--multi` writes the list Python's MultiFernet reads, and `keys export` publishes
// a JWKS of every live version.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { keyturnOnPath, runShell } from '../../../test/support/keyturn-shim.js';
import { requirePythonCryptography, runPython } from '../../../test/support/python.js';
import { runCli, secretToolLookup } from '../../../test/support/run-cli.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';

let s: SecretServiceSession;
let app: string;
before(async () => {
  requirePythonCryptography();
  s = await startSecretService({ unlocked: true });
  app = join(s.dir, 'home');
});
after(async () => {
  await s?.stop();
});

const cli = (...args: string[]) => runCli(args, { env: s.env, cwd: app, killAfterMs: 30_000 });
const envOf = (file: string) => envValues(parseEnv(readFileSync(join(app, file), 'utf8')));
const stored = async (account: string) => (await secretToolLookup(s.env, 'keyturn', account)).value;
const report = (stdout: string) => JSON.parse(stdout) as EnvReport;

test('env set writes the stored key; check matches it (verbose), flags it once rotated, and its suggestion works', async () => {
  writeFileSync(join(app, '.env'), '# app\nPII_ENC_KEY=\nPORT=8080\n', { mode: 0o644 });
  assert.equal((await cli('generate', 'fernet', '--name', 'pii-enc-key', '--store')).code, 0);
  const set = await cli('env', 'set', '.env', 'PII_ENC_KEY', '--from-key', 'pii-enc-key');
  assert.equal(set.code, 0, set.stderr);
  const v1 = await stored('pii-enc-key@v1');
  assert.equal(envOf('.env').get('PII_ENC_KEY'), v1);
  assert.match(
    set.stdout,
    /^Updated \.env: filled PII_ENC_KEY with pii-enc-key@v1 \(line 2\); the previous file is kept as \.env\.1\.bak\.\n/,
  );
  assert.match(set.stdout, /mode 644 -> 600/);
  assert.equal(statSync(join(app, '.env')).mode & 0o777, 0o600);
  assert.ok(!set.stdout.includes(v1) && !set.stderr.includes(v1));

  const quiet = await cli('env', 'check', '.env');
  assert.equal(quiet.stdout, 'No problems found in 1 file.\n');
  const verbose = await cli('env', 'check', '.env', '--verbose');
  assert.match(verbose.stdout, /PII_ENC_KEY matches pii-enc-key v1 \(current\)\./);

  assert.equal((await cli('keys', 'rotate', 'pii-enc-key')).code, 0);
  const after = await cli('env', 'check', '.env', '--format', 'json');
  assert.equal(after.code, 0, 'a retiring value is a warning');
  const stale = report(after.stdout).files[0]!.findings.find((f) => f.code === 'stale-value')!;
  assert.equal(stale.severity, 'warning');
  assert.match(stale.message, /^PII_ENC_KEY holds pii-enc-key v1, which is retiring: v2 is current since the last rotation\./);
  assert.equal(stale.fix?.command, 'keyturn env set .env PII_ENC_KEY --from-key pii-enc-key');

  const pasted = await runShell(stale.fix!.command!, { cwd: app, env: { ...s.env, PATH: keyturnOnPath(s.dir) } });
  assert.equal(pasted.code, 0, pasted.stderr);
  assert.equal(envOf('.env').get('PII_ENC_KEY'), await stored('pii-enc-key@v2'));
  assert.equal((await cli('env', 'check', '.env')).stdout, 'No problems found in 1 file.\n');
  assert.deepEqual(
    readdirSync(app)
      .filter((f) => f.startsWith('.env'))
      .sort(),
    ['.env', '.env.1.bak', '.env.2.bak'],
  );

  // Every write left an audit line with the file as its target, and no value.
  const audit = readFileSync(join(s.keyturnHome, 'audit.log'), 'utf8');
  const lines = audit
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; key: string; target?: string; version?: number });
  const target = join(app, '.env');
  assert.deepEqual(
    lines.filter((l) => l.target === target).map((l) => [l.action, l.key, l.version]),
    [
      ['export', 'pii-enc-key', 1],
      ['env-write', 'PII_ENC_KEY', undefined],
      ['export', 'pii-enc-key', 2],
      ['env-write', 'PII_ENC_KEY', undefined],
    ],
  );
  assert.ok(!audit.includes(v1));
});

test('--multi writes "new,old" for MultiFernet; a retired item in the list is an error', async () => {
  const set = await cli('env', 'set', 'app.env', 'PII_ENC_KEYS', '--from-key', 'pii-enc-key', '--multi');
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /^Created app\.env: appended PII_ENC_KEYS with pii-enc-key@v2,pii-enc-key@v1/);
  const [v1, v2] = [await stored('pii-enc-key@v1'), await stored('pii-enc-key@v2')];
  const list = envOf('app.env').get('PII_ENC_KEYS')!;
  assert.equal(list, `${v2},${v1}`);
  // Python's MultiFernet, reading the file as python-dotenv does, decrypts a v1 token and encrypts under v2.
  const python = await runPython<{ old: string; newFirst: boolean }>({
    script: `
from dotenv import dotenv_values
from cryptography.fernet import Fernet, MultiFernet
keys = dotenv_values(data['file'])['PII_ENC_KEYS'].split(',')
m = MultiFernet([Fernet(k) for k in keys])
token = Fernet(data['v1']).encrypt(b'row 1')
fresh = m.encrypt(b'x')
emit({'old': m.decrypt(token).decode(), 'newFirst': Fernet(data['v2']).decrypt(fresh) == b'x'})
`,
    input: { file: join(app, 'app.env'), v1, v2 },
  });
  assert.deepEqual(python, { old: 'row 1', newFirst: true });
  const during = await cli('env', 'check', 'app.env', '--format', 'json');
  assert.deepEqual(
    report(during.stdout).files[0]!.findings.map((f) => f.code),
    [],
    'an old key after the new one is the overlap, not a problem',
  );

  assert.equal((await cli('keys', 'retire', 'pii-enc-key', '--version', '1', '--yes')).code, 0);
  const retired = await cli('env', 'check', 'app.env', '--format', 'json');
  assert.equal(retired.code, 1);
  const finding = report(retired.stdout).files[0]!.findings[0]!;
  assert.deepEqual([finding.code, finding.severity], ['stale-value', 'error']);
  assert.match(finding.message, /^PII_ENC_KEYS \(item 2 of 2\) holds pii-enc-key v1, which was retired/);
  assert.equal(finding.fix?.command, 'keyturn env set app.env PII_ENC_KEYS --from-key pii-enc-key --multi');
  const pasted = await runShell(finding.fix!.command!, { cwd: app, env: { ...s.env, PATH: keyturnOnPath(s.dir) } });
  assert.equal(pasted.code, 0, pasted.stderr);
  assert.equal(envOf('app.env').get('PII_ENC_KEYS'), v2);
});

test('keys export: a JWKS of every live version with its own kid verifies tokens of both; show --format points to export', async () => {
  assert.equal((await cli('generate', 'jwt-ec', '--alg', 'ES256', '--name', 'api-signing', '--store')).code, 0);
  const v1Pem = (await cli('keys', 'export', 'api-signing', '--format', 'pem')).stdout;
  assert.equal((await cli('keys', 'rotate', 'api-signing')).code, 0);
  const jwks = await cli('keys', 'export', 'api-signing', '--all-versions', '--format', 'jwks');
  assert.equal(jwks.code, 0, jwks.stderr);
  const set = JSON.parse(jwks.stdout) as { keys: { kid: string; d?: string }[] };
  assert.equal(set.keys.length, 2);
  assert.ok(
    set.keys.every((k) => k.d === undefined),
    'public keys only',
  );
  const shown = JSON.parse((await cli('keys', 'show', 'api-signing', '--json')).stdout) as {
    key: { versions: { version: number; fingerprint: string }[] };
  };
  assert.deepEqual(
    set.keys.map((k) => `jwk-thumbprint:${k.kid}`),
    [2, 1].map((v) => shown.key.versions.find((x) => x.version === v)!.fingerprint),
    'current first; each kid is that version’s thumbprint',
  );
  const verify = createLocalJWKSet(set as Parameters<typeof createLocalJWKSet>[0]);
  const v2Pem = (await cli('keys', 'export', 'api-signing@v2', '--format', 'pem')).stdout;
  for (const [pem, kid] of [
    [v1Pem, set.keys[1]!.kid],
    [v2Pem, set.keys[0]!.kid],
  ] as const) {
    const token = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .sign(await importPKCS8(pem.split(/(?=-----BEGIN PUBLIC KEY-----)/)[0]!, 'ES256'));
    assert.equal((await jwtVerify(token, verify)).payload.sub, 'u1');
  }
  const env = await cli('keys', 'export', 'pii-enc-key', '--all-versions', '--format', 'env', '--env-var', 'PII_ENC_KEYS');
  assert.equal(env.stdout, `PII_ENC_KEYS=${await stored('pii-enc-key@v2')}\n`, 'v1 is retired: only the live version');
  const showFormat = await cli('keys', 'show', 'api-signing', '--format', 'jwks');
  assert.equal(showFormat.code, 2);
  assert.match(showFormat.stderr, /keyturn keys export api-signing --format jwks/);
  const pemAll = await cli('keys', 'export', 'api-signing', '--all-versions', '--format', 'pem');
  assert.equal(pemAll.code, 2);
  assert.match(pemAll.stderr, /--all-versions goes with --format jwks/);
});
