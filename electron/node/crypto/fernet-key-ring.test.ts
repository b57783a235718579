import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fernet, generateFernetKey } from './fernet.js';
import { FernetKeyRing } from './fernet-key-ring.js';

const [v3, v2, v1, stranger] = [generateFernetKey(), generateFernetKey(), generateFernetKey(), generateFernetKey()];
const ring = new FernetKeyRing([v3, v2, v1]);

test('identify names the key that opens a token, newest first, and -1 for anything else', () => {
  const plaintext = Buffer.from('alice@example.com');
  assert.equal(ring.identify(new Fernet(v3).encrypt(plaintext)), 0);
  assert.equal(ring.identify(new Fernet(v2).encrypt(plaintext)), 1);
  assert.equal(ring.identify(new Fernet(v1).encrypt(plaintext)), 2);
  for (const bad of [new Fernet(stranger).encrypt(plaintext), 'not a token', '', 'gAAAAA', new Fernet(v1).encrypt(plaintext).slice(0, -4)])
    assert.equal(ring.identify(bad), -1);
});

test('rotate leaves tokens under the new key alone, re-encrypts older ones keeping plaintext and timestamp, and calls the rest poison', () => {
  const plaintext = Buffer.from([0, 1, 2, 255, 10, 13]);
  const current = new Fernet(v3).encrypt(plaintext);
  assert.deepEqual(ring.rotate(current), { kind: 'current' });
  const old = new Fernet(v1).encrypt(plaintext, { now: 1_234_567_890 });
  const outcome = ring.rotate(old);
  assert.equal(outcome.kind, 'rotated');
  if (outcome.kind !== 'rotated') return;
  assert.equal(outcome.from, 2);
  assert.deepEqual(new Fernet(v3).decrypt(outcome.token), plaintext);
  assert.equal(new Fernet(v3).extractTimestamp(outcome.token), 1_234_567_890);
  assert.throws(() => new Fernet(v1).decrypt(outcome.token), { code: 'invalid-token' });
  assert.deepEqual(ring.rotate(outcome.token), { kind: 'current' }, 'a rotated token is not rotated again');
  assert.deepEqual(ring.rotate(new Fernet(stranger).encrypt(plaintext)), { kind: 'poison' });
  assert.deepEqual(ring.rotate('garbage'), { kind: 'poison' });
  // Empty plaintexts are tokens like any other.
  const empty = ring.rotate(new Fernet(v2).encrypt(Buffer.alloc(0)));
  assert.equal(empty.kind === 'rotated' && new Fernet(v3).decrypt(empty.token).length, 0);
});

test('bad keys are refused with the Fernet key sentence, never echoed', () => {
  assert.throws(
    () => new FernetKeyRing(['short']),
    (error: Error & { code?: string }) => error.code === 'invalid-key' && !error.message.includes('short'),
  );
  assert.throws(() => new FernetKeyRing([]), RangeError);
});
