import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { KeyturnError, type ErrorCode } from '../../../shared/domain/errors.js';
import type { KeyKind } from '../../../shared/domain/key-kinds.js';
import { Fernet } from './fernet.js';
import { describeKey, fingerprintOf } from './fingerprint.js';
import type { GenerateRequest } from '../../../shared/domain/generated-key.js';
import { generateKey } from './generate-key.js';

async function refused(opts: GenerateRequest): Promise<{ code: ErrorCode; message: string }> {
  try {
    await generateKey(opts);
  } catch (error) {
    assert.ok(error instanceof KeyturnError, `expected a KeyturnError for ${JSON.stringify(opts)}`);
    assert.ok(!error.message.includes('\n'), 'one line');
    return { code: error.code, message: error.message };
  }
  return assert.fail(`expected ${JSON.stringify(opts)} to be refused`);
}

test('weak sizes are refused as weak-parameter, with the size to use instead', async () => {
  const cases: [GenerateRequest, RegExp][] = [
    [{ kind: 'jwt-rsa', bits: 1024 }, /below 2048 bits/],
    [{ kind: 'jwt-rsa', alg: 'PS256', bits: 2047 }, /2048, 3072, 4096/],
    [{ kind: 'jwt-hmac', bytes: 31 }, /at least 32 bytes/],
    [{ kind: 'jwt-hmac', alg: 'HS384', bytes: 47 }, /at least 48 bytes/],
    [{ kind: 'jwt-hmac', alg: 'HS512', bytes: 63 }, /at least 64 bytes/],
    [{ kind: 'secret', bytes: 15 }, /--bytes 16 or more/],
  ];
  for (const [opts, message] of cases) {
    const r = await refused(opts);
    assert.equal(r.code, 'weak-parameter', JSON.stringify(opts));
    assert.match(r.message, message);
  }
});

test('unknown kinds, algorithms that do not fit, and odd sizes are invalid-input', async () => {
  const cases: [GenerateRequest, RegExp][] = [
    [{ kind: 'rsa' as KeyKind }, /Unknown key kind "rsa"; choose one of fernet, secret/],
    [{ kind: 'jwt-rsa', alg: 'ES256' }, /does not fit jwt-rsa keys; choose one of RS256/],
    [{ kind: 'jwt-hmac', alg: 'HS1024' }, /HS256, HS384, HS512/],
    [{ kind: 'fernet', alg: 'HS256' }, /--alg does not apply to fernet/],
    [{ kind: 'fernet', bytes: 16 }, /always 32 bytes/],
    [{ kind: 'jwt-rsa', bits: 2500 }, /2048, 3072, 4096/],
    [{ kind: 'jwt-rsa', bits: 8192 }, /2048, 3072, 4096/],
    [{ kind: 'jwt-rsa', bytes: 256 }, /--bytes does not apply/],
    [{ kind: 'jwt-ec', alg: 'ES256', bits: 384 }, /P-256/],
    [{ kind: 'jwt-ec', bits: 512 }, /256, 384 or 521/],
    [{ kind: 'jwt-hmac', bits: 256 }, /--bits does not apply/],
    [{ kind: 'secret', bytes: 2.5 }, /positive whole number/],
    [{ kind: 'secret', bytes: 4096 }, /capped at 1024/],
    [{ kind: 'jwt-ed25519', bits: 448 }, /always 256 bits/],
  ];
  for (const [opts, message] of cases) {
    const r = await refused(opts);
    assert.equal(r.code, 'invalid-input', JSON.stringify(opts));
    assert.match(r.message, message);
  }
});

test('symmetric kinds: Python-compatible text, sizes, defaults', async () => {
  const fernet = await generateKey({ kind: 'fernet' });
  assert.match(fernet.secret, /^[A-Za-z0-9_-]{43}=$/);
  assert.equal(fernet.size, 256);
  assert.equal(fernet.alg, undefined);
  assert.doesNotThrow(() => new Fernet(fernet.secret));

  const secret = await generateKey({ kind: 'secret' });
  assert.match(secret.secret, /^[A-Za-z0-9_-]{43}$/, 'like secrets.token_urlsafe(32)');
  assert.equal(secret.size, 256);
  const longer = await generateKey({ kind: 'secret', bytes: 48 });
  assert.equal(Buffer.from(longer.secret, 'base64url').length, 48);
  assert.equal(longer.secret.length, 64);

  for (const [alg, bytes] of [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const) {
    const key = await generateKey({ kind: 'jwt-hmac', alg: alg.toLowerCase() });
    assert.equal(key.alg, alg, 'algorithm names are matched case-insensitively and stored canonically');
    assert.equal(Buffer.from(key.secret, 'base64url').length, bytes);
    assert.equal(key.size, bytes * 8);
  }
  assert.equal((await generateKey({ kind: 'jwt-hmac' })).alg, 'HS256');
  const twoKeys = new Set([(await generateKey({ kind: 'fernet' })).secret, fernet.secret]);
  assert.equal(twoKeys.size, 2);
});

test('asymmetric kinds: PKCS#8 private and SPKI public PEM of the requested type and size', async () => {
  const cases: [GenerateRequest, string, number, Record<string, unknown>][] = [
    [{ kind: 'jwt-rsa' }, 'rsa', 3072, { modulusLength: 3072, publicExponent: 65537n }],
    [{ kind: 'jwt-rsa', alg: 'PS384', bits: 3072 }, 'rsa', 3072, { modulusLength: 3072 }],
    [{ kind: 'jwt-rsa', alg: 'RS512', bits: 4096 }, 'rsa', 4096, { modulusLength: 4096 }],
    [{ kind: 'jwt-ec' }, 'ec', 256, { namedCurve: 'prime256v1' }],
    [{ kind: 'jwt-ec', alg: 'ES384' }, 'ec', 384, { namedCurve: 'secp384r1' }],
    [{ kind: 'jwt-ec', bits: 521 }, 'ec', 521, { namedCurve: 'secp521r1' }],
    [{ kind: 'jwt-ed25519' }, 'ed25519', 256, {}],
  ];
  for (const [opts, type, size, details] of cases) {
    const key = await generateKey(opts);
    assert.match(key.secret, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    assert.match(key.publicPem!, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const privateKey = createPrivateKey(key.secret);
    assert.equal(privateKey.asymmetricKeyType, type);
    for (const [name, value] of Object.entries(details)) assert.equal(privateKey.asymmetricKeyDetails?.[name as 'modulusLength'], value);
    assert.equal(key.size, size);
    assert.equal(
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }),
      key.publicPem,
      'the public PEM belongs to the private key',
    );
    assert.deepEqual(describeKey(key.kind, key.secret), key.kind === 'jwt-rsa' ? { size } : { alg: key.alg, size });
  }
  assert.equal((await generateKey({ kind: 'jwt-ec', bits: 521 })).alg, 'ES512');
});

test('metadata: created is now, fingerprints are stable, distinct, domain-separated and never the key', async () => {
  const before = Date.now();
  const a = await generateKey({ kind: 'fernet' });
  const b = await generateKey({ kind: 'fernet' });
  assert.ok(Date.parse(a.created) >= before - 1000 && Date.parse(a.created) <= Date.now());
  assert.match(a.fingerprint, /^sha256:[A-Za-z0-9_-]{22}$/);
  assert.equal(fingerprintOf('fernet', a.secret), a.fingerprint);
  assert.notEqual(a.fingerprint, b.fingerprint);
  assert.ok(!a.fingerprint.includes(a.secret.slice(0, 8)));
  const plain = createHash('sha256').update(a.secret).digest('base64url').slice(0, 22);
  assert.notEqual(a.fingerprint, `sha256:${plain}`, 'not a bare SHA-256 of the value');
  const ed = await generateKey({ kind: 'jwt-ed25519' });
  assert.match(ed.fingerprint, /^jwk-thumbprint:[A-Za-z0-9_-]{43}$/);
  assert.equal(fingerprintOf('jwt-ed25519', ed.publicPem!), ed.fingerprint, 'private and public PEM give the same thumbprint');
});

test('describeKey re-derives sizes from stored values and refuses values that do not fit the kind', async () => {
  assert.deepEqual(describeKey('fernet', (await generateKey({ kind: 'fernet' })).secret), { size: 256 });
  assert.deepEqual(describeKey('secret', (await generateKey({ kind: 'secret', bytes: 40 })).secret), { size: 320 });
  assert.deepEqual(describeKey('jwt-hmac', (await generateKey({ kind: 'jwt-hmac', alg: 'HS512' })).secret), { size: 512 });
  assert.deepEqual(describeKey('secret', 'hunter2!'), { size: 64 }, 'non-base64url text counts its UTF-8 bytes');
  const ec = await generateKey({ kind: 'jwt-ec' });
  const invalidKey = (e: unknown): boolean =>
    e instanceof KeyturnError && e.code === 'invalid-key' && !e.message.includes('PRIVATE KEY-----');
  assert.throws(() => describeKey('jwt-rsa', ec.secret), invalidKey);
  assert.throws(() => describeKey('jwt-ed25519', ec.secret), invalidKey);
  assert.throws(() => describeKey('jwt-ec', 'not a pem'), invalidKey);
  assert.throws(() => describeKey('fernet', 'x'.repeat(44)), invalidKey);
  assert.throws(() => describeKey('secret', ''), invalidKey);
});
