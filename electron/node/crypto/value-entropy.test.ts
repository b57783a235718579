// The entropy estimate that decides warnings on import and whether a public fingerprint may exist.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { generateKey } from './generate-key.js';
import { fingerprintOf, publicFingerprintOf } from './fingerprint.js';
import { estimateEntropyBits, HIGH_ENTROPY_BITS, lowEntropyReason } from './value-entropy.js';

test('passwords and passphrases are low-entropy, whatever their character classes', () => {
  for (const weak of [
    'Summer2024!',
    'Tr0ub4dor&3',
    'CorrectHorseBatteryStaple',
    'correct horse battery staple',
    'changeme',
    'aaaaaaaaaaaaaaaaaaaaaaaa',
  ]) {
    assert.ok(estimateEntropyBits(weak) < HIGH_ENTROPY_BITS, weak);
    assert.ok(lowEntropyReason(weak), weak);
    assert.equal(publicFingerprintOf('secret', weak), null, weak);
  }
  assert.ok(!lowEntropyReason('Summer2024!')!.includes('Summer'), 'the reason describes, never quotes');
});

test('random keys of 128 bits or more are high-entropy (at most 1 in 500 random tokens is flagged)', async () => {
  for (const kind of ['fernet', 'secret', 'jwt-hmac'] as const) {
    const key = await generateKey({ kind });
    assert.equal(lowEntropyReason(key.secret), null, kind);
    assert.equal(publicFingerprintOf(kind, key.secret), key.fingerprint);
  }
  const ed = await generateKey({ kind: 'jwt-ed25519' });
  assert.equal(publicFingerprintOf('jwt-ed25519', ed.secret), fingerprintOf('jwt-ed25519', ed.secret), 'a key pair always has one');
  let flagged = 0;
  for (let i = 0; i < 2000; i += 1) {
    const bytes = randomBytes(16 + (i % 48));
    if (lowEntropyReason(bytes.toString(i % 2 ? 'base64url' : 'hex'))) flagged += 1;
  }
  assert.ok(flagged <= 4, `${flagged} of 2000 random tokens flagged`);
});
