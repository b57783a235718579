import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from './errors.js';
import { accountFor, assertKeyName, parseKeyRef } from './key-names.js';

test('key names follow the documented pattern', () => {
  for (const good of ['pii-enc-key', 'PII_ENC_KEY', 'a', 'jwt.signing-2', 'x'.repeat(128)]) assert.equal(assertKeyName(good), good);
  for (const bad of ['', '-lead', '.hidden', 'has space', 'x'.repeat(129), 'slash/name', 'ünïcode']) {
    assert.throws(
      () => assertKeyName(bad),
      (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-name',
    );
  }
});

test('accounts and references carry versions as name@vN', () => {
  assert.equal(accountFor('pii-enc-key', 1), 'pii-enc-key@v1');
  assert.deepEqual(parseKeyRef('pii-enc-key@v12'), { name: 'pii-enc-key', version: 12 });
  assert.deepEqual(parseKeyRef('pii-enc-key'), { name: 'pii-enc-key' });
  assert.throws(() => parseKeyRef('pii-enc-key@v0'), /not a valid key name/);
});
