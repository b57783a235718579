// The native fast path of token decoding must agree with the exact port of Python's decoder on every input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64Lenient } from '../../../shared/formats/base64.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { tokenBytes } from './fernet-core.js';
import { decodeTokenText, encodeTokenText } from './token-text.js';

test('decodeTokenText equals the exact Python port on canonical, padded-wrong, mixed-alphabet and mangled texts', () => {
  const rng = seededRandom();
  const pool = ['=', '==', ' ', '\n', '+', '/', '-', '_', '%', 'A', 'é'];
  let fastAgreed = 0;
  for (let i = 0; i < 3000; i += 1) {
    const bytes = rng.bytes(rng.int(120));
    let text = bytes.toString('base64url') + '='.repeat((3 - (bytes.length % 3)) % 3);
    const mangle = rng.int(4);
    if (mangle >= 1) {
      const at = rng.int(text.length + 1);
      text = text.slice(0, at) + rng.pick(pool) + text.slice(at + (mangle === 2 ? 1 : 0));
    }
    if (mangle === 3) text = text.replace(/=+$/, '');
    const exact = decodeBase64Lenient(text);
    const ours = decodeTokenText(text);
    assert.equal(ours === null, !exact.ok, `${JSON.stringify(text)} (seed ${rng.seed})`);
    if (ours && exact.ok) {
      assert.ok(tokenBytes(ours).equals(Buffer.from(exact.bytes)), `${JSON.stringify(text)} (seed ${rng.seed})`);
      if (mangle === 0) {
        assert.equal(encodeTokenText(ours), text, 'canonical text round-trips');
        fastAgreed += 1;
      }
    }
  }
  assert.ok(fastAgreed > 500);
});
