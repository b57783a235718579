import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { parse as parseDotenv } from 'dotenv';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey, OutputFormat } from '../../../shared/domain/generated-key.js';
import { generateKey } from './generate-key.js';
import { renderKey } from './render-key.js';

const invalidInput = (e: unknown): boolean => e instanceof KeyturnError && e.code === 'invalid-input';

test('text is the value itself with one trailing newline', async () => {
  for (const kind of ['fernet', 'secret', 'jwt-hmac', 'jwt-ed25519'] as const) {
    const key = await generateKey({ kind });
    const text = await renderKey(key, 'text');
    assert.equal(text.replace(/\n$/, ''), key.secret.replace(/\n$/, ''));
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
  }
});

test('env is one NAME=value line that dotenv reads back to the exact value, PEMs included', async () => {
  const fernet = await generateKey({ kind: 'fernet' });
  const line = await renderKey(fernet, 'env', { envVar: 'PII_ENC_KEY' });
  assert.equal(line, `PII_ENC_KEY=${fernet.secret}\n`);
  assert.deepEqual(parseDotenv(line), { PII_ENC_KEY: fernet.secret });
  assert.deepEqual(parseDotenv(await renderKey(fernet, 'env')), { FERNET_KEY: fernet.secret }, 'a default name per kind');
  for (const kind of ['secret', 'jwt-hmac', 'jwt-ec', 'jwt-ed25519'] as const) {
    const key = await generateKey({ kind });
    const env = await renderKey(key, 'env', { envVar: 'APP_KEY' });
    assert.equal(env.split('\n').filter(Boolean).length, 1, 'one line, even for a PEM');
    assert.deepEqual(parseDotenv(env), { APP_KEY: key.secret });
  }
  for (const bad of ['1ABC', 'A-B', 'A B', '', 'X=Y', 'A\nB'])
    await assert.rejects(renderKey(fernet, 'env', { envVar: bad }), invalidInput, bad);
});

test('json carries the value and its metadata', async () => {
  const key = await generateKey({ kind: 'jwt-ec', alg: 'ES384' });
  const doc = JSON.parse(await renderKey(key, 'json')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ['kind', 'alg', 'size', 'fingerprint', 'created', 'kid', 'secret', 'publicPem']);
  assert.equal(doc.kind, 'jwt-ec');
  assert.equal(doc.alg, 'ES384');
  assert.equal(doc.size, 384);
  assert.equal(doc.fingerprint, key.fingerprint);
  assert.equal(doc.fingerprint, `jwk-thumbprint:${doc.kid as string}`);
  assert.equal(doc.created, key.created);
  assert.equal(doc.secret, key.secret);
  const fernet = JSON.parse(await renderKey(await generateKey({ kind: 'fernet' }), 'json')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(fernet), ['kind', 'size', 'fingerprint', 'created', 'secret']);
});

test('pem is the PKCS#8 private key followed by the SPKI public key', async () => {
  const key = await generateKey({ kind: 'jwt-rsa', alg: 'PS256' });
  const pem = await renderKey(key, 'pem');
  const blocks = pem.match(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----\n/g) ?? [];
  assert.equal(blocks.length, 2);
  assert.match(blocks[0]!, /^-----BEGIN PRIVATE KEY-----/);
  assert.match(blocks[1]!, /^-----BEGIN PUBLIC KEY-----/);
  assert.equal(pem, blocks.join(''));
  assert.ok(createPublicKey(blocks[1]!).equals(createPublicKey(createPrivateKey(blocks[0]!))));
});

test('formats that do not fit a kind are refused with invalid-input (the desktop app offers only fitting ones)', async () => {
  const unfit: [GeneratedKey, OutputFormat][] = [];
  const fernet = await generateKey({ kind: 'fernet' });
  const secret = await generateKey({ kind: 'secret' });
  const hmac = await generateKey({ kind: 'jwt-hmac' });
  for (const format of ['pem', 'jwk', 'jwks'] as const) unfit.push([fernet, format], [secret, format]);
  unfit.push([hmac, 'pem'], [hmac, 'jwks']);
  for (const [key, format] of unfit) await assert.rejects(renderKey(key, format), invalidInput, `${key.kind} as ${format}`);
  await assert.rejects(renderKey(fernet, 'xml' as OutputFormat), invalidInput);
});
