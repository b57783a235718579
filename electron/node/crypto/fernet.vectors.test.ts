// The official Fernet spec vectors (test/fixtures/fernet-spec, byte-exact copies of github.com/fernet/spec).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { Fernet, INVALID_TOKEN_MESSAGE, MultiFernet } from './fernet.js';

interface Vector {
  token: string;
  now: string;
  secret: string;
  src?: string;
  iv?: number[];
  ttl_sec?: number;
  desc?: string;
}

const load = (name: string): Vector[] =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/fernet-spec/${name}`, import.meta.url), 'utf8')) as Vector[];
const seconds = (iso: string): number => Date.parse(iso) / 1000;

test('generate.json: encrypting src at now with iv gives the token byte for byte, padding included', () => {
  const vectors = load('generate.json');
  assert.ok(vectors.length > 0);
  for (const v of vectors) {
    const token = new Fernet(v.secret).encrypt(Buffer.from(v.src!, 'utf8'), { now: seconds(v.now), iv: Uint8Array.from(v.iv!) });
    assert.equal(token, v.token);
    // MultiFernet encrypts with its first key, identically.
    assert.equal(
      new MultiFernet([new Fernet(v.secret)]).encrypt(Buffer.from(v.src!), { now: seconds(v.now), iv: Uint8Array.from(v.iv!) }),
      v.token,
    );
  }
});

test('verify.json: the token decrypts to src at now within ttl_sec, and its timestamp is read back', () => {
  const vectors = load('verify.json');
  assert.ok(vectors.length > 0);
  for (const v of vectors) {
    const f = new Fernet(v.secret);
    assert.equal(f.decrypt(v.token, { ttl: v.ttl_sec!, now: seconds(v.now) }).toString('utf8'), v.src);
    assert.equal(f.extractTimestamp(v.token), Date.parse('1985-10-26T01:20:00-07:00') / 1000);
  }
});

test('invalid.json: all eight tokens are refused with the one invalid-token error and one message', () => {
  const vectors = load('invalid.json');
  assert.equal(vectors.length, 8);
  for (const v of vectors) {
    const f = new Fernet(v.secret);
    assert.throws(
      () => f.decrypt(v.token, { ttl: v.ttl_sec!, now: seconds(v.now) }),
      (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-token' && e.message === INVALID_TOKEN_MESSAGE,
      v.desc,
    );
    assert.throws(
      () => new MultiFernet([new Fernet(v.secret)]).decrypt(v.token, { ttl: v.ttl_sec!, now: seconds(v.now) }),
      (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-token' && e.message === INVALID_TOKEN_MESSAGE,
      v.desc,
    );
  }
});

test('the two time-only failures are accepted when no TTL is asked for, as in Python', () => {
  const byDesc = new Map(load('invalid.json').map((v) => [v.desc, v]));
  for (const desc of ['expired TTL', 'far-future TS (unacceptable clock skew)']) {
    const v = byDesc.get(desc)!;
    assert.ok(v, desc);
    assert.doesNotThrow(() => new Fernet(v.secret).decrypt(v.token), desc);
  }
});
