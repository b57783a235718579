// `keyturn generate` as a real child process: outputs parse in the tools that read them, errors are one line + exit 2.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { parse as parseDotenv } from 'dotenv';
import { runCliBytes, type CliBytesRun } from '../../../test/support/run-cli.js';
import { Fernet } from '../../node/crypto/fernet.js';

const run = async (...args: string[]): Promise<CliBytesRun & { out: string }> => {
  const r = await runCliBytes(args);
  return { ...r, out: r.stdout.toString('utf8') };
};

function assertOneLineError(r: CliBytesRun, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
}

test('generate prints keys in each format, readable by the tools that consume them', async () => {
  const [fernet, env, secret, jwks, pem, jwk] = await Promise.all([
    run('generate', 'fernet'),
    run('generate', 'fernet', '--env-var', 'PII_ENC_KEY'),
    run('generate', 'secret', '--bytes', '48', '--json'),
    run('generate', 'jwt-ec', '--alg', 'ES384', '--format', 'jwks'),
    run('generate', 'jwt-ed25519', '--format', 'pem'),
    run('generate', 'jwt-hmac', '--alg', 'HS512', '--format', 'jwk'),
  ]);
  for (const r of [fernet, env, secret, jwks, pem, jwk]) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  }
  assert.match(fernet.out, /^[A-Za-z0-9_-]{43}=\n$/);
  assert.doesNotThrow(() => new Fernet(fernet.out.trim()));

  const parsed = parseDotenv(env.out);
  assert.deepEqual(Object.keys(parsed), ['PII_ENC_KEY']);
  assert.doesNotThrow(() => new Fernet(parsed.PII_ENC_KEY!));

  const doc = JSON.parse(secret.out) as Record<string, unknown>;
  assert.equal(doc.kind, 'secret');
  assert.equal(doc.size, 384);
  assert.match(doc.fingerprint as string, /^sha256:/);
  assert.ok(!Number.isNaN(Date.parse(doc.created as string)));
  assert.equal(Buffer.from(doc.secret as string, 'base64url').length, 48);

  const set = JSON.parse(jwks.out) as { keys: Record<string, unknown>[] };
  assert.equal(set.keys.length, 1);
  assert.equal(set.keys[0]!.crv, 'P-384');
  assert.equal(set.keys[0]!.alg, 'ES384');
  assert.equal(set.keys[0]!.d, undefined, 'a JWKS holds public keys only');

  const blocks = pem.out.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----\n/g) ?? [];
  assert.equal(blocks.length, 2);
  assert.ok(createPublicKey(blocks[1]!).equals(createPublicKey(createPrivateKey(blocks[0]!))));
  assert.equal(createPrivateKey(blocks[0]!).asymmetricKeyType, 'ed25519');

  const oct = JSON.parse(jwk.out) as Record<string, string>;
  assert.equal(oct.kty, 'oct');
  assert.equal(oct.alg, 'HS512');
  assert.equal(Buffer.from(oct.k!, 'base64url').length, 64);
});

test('generate refuses bad input with one line on stderr and exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['generate', 'rsa'], /Unknown key kind "rsa"; choose one of fernet, secret, jwt-hmac/],
    [['generate', 'jwt-rsa', '--alg', 'ES256'], /does not fit jwt-rsa keys.*\[invalid-input\]$/],
    [['generate', 'jwt-rsa', '--bits', '1024'], /below 2048 bits.*\[weak-parameter\]$/],
    [['generate', 'jwt-hmac', '--alg', 'HS384', '--bytes', '32'], /at least 48 bytes.*\[weak-parameter\]$/],
    [['generate', 'fernet', '--format', 'pem'], /--format pem does not fit fernet keys/],
    [['generate', 'secret', '--bytes', 'lots'], /--bytes takes a whole number/],
    [['generate', 'fernet', '--format', 'yaml'], /--format takes text, json, env, pem, jwk, jwks \(got "yaml"\)/],
    [['generate', 'fernet', '--env-var', '1BAD'], /--env-var must be a variable name/],
  ];
  const results = await Promise.all(cases.map(([args]) => run(...args)));
  for (const [i, r] of results.entries()) {
    assertOneLineError(r, 2, cases[i]![1]);
    assert.equal(r.out, '', 'nothing on stdout');
  }
});

test('generate --json reports errors as one JSON document too, and --help documents every option', async () => {
  const [json, help, fernetHelp] = await Promise.all([
    run('generate', 'jwt-rsa', '--bits', '512', '--json'),
    run('generate', '--help'),
    run('fernet', 'rotate', '--help'),
  ]);
  assertOneLineError(json, 2, /below 2048 bits/);
  assert.deepEqual(Object.keys((JSON.parse(json.out) as { error: object }).error), ['code', 'message']);
  assert.equal(help.code, 0);
  for (const option of ['--alg', '--bits', '--bytes', '--format', '--env-var', '--json', 'Examples:'])
    assert.ok(help.out.includes(option), option);
  assert.equal(fernetHelp.code, 0);
  assert.match(fernetHelp.out, /--old-key-env/);
});
