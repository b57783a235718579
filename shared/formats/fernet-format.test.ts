import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FERNET_MIN_TOKEN_BYTES,
  checkFernetKey,
  formatFernetKey,
  paddingFor,
  parseFernetTokenLayout,
  readTimestamp,
  writeTimestamp,
} from './fernet-format.js';

test('timestamps are 64-bit big-endian and round-trip beyond 32 bits', () => {
  for (const seconds of [0, 1, 499_162_800, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER]) {
    const raw = new Uint8Array(9);
    writeTimestamp(raw, seconds);
    assert.equal(readTimestamp(raw), seconds);
    const hex = Array.from(raw.subarray(1), (b) => b.toString(16).padStart(2, '0')).join('');
    assert.equal(BigInt(`0x${hex}`), BigInt(seconds));
  }
});

test('token layout: version 0x80, at least one block, whole blocks, else null', () => {
  const token = (length: number, version = 0x80): Uint8Array => {
    const raw = new Uint8Array(length);
    raw[0] = version;
    writeTimestamp(raw, 1234);
    return raw;
  };
  assert.deepEqual(parseFernetTokenLayout(token(FERNET_MIN_TOKEN_BYTES)), { timestamp: 1234, ciphertextStart: 25, macStart: 41 });
  assert.deepEqual(parseFernetTokenLayout(token(FERNET_MIN_TOKEN_BYTES + 32))?.macStart, 73);
  assert.equal(parseFernetTokenLayout(token(FERNET_MIN_TOKEN_BYTES - 16)), null, 'no ciphertext block');
  assert.equal(parseFernetTokenLayout(token(FERNET_MIN_TOKEN_BYTES + 5)), null, 'not whole blocks');
  assert.equal(parseFernetTokenLayout(token(FERNET_MIN_TOKEN_BYTES, 0x81)), null, 'unknown version');
  assert.equal(parseFernetTokenLayout(new Uint8Array(0)), null);
});

test('keys format as Python writes them and are checked without quoting them', () => {
  const key = formatFernetKey(new Uint8Array(32).fill(0xfb));
  assert.equal(key, '-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s=');
  assert.deepEqual(checkFernetKey(key), { ok: true });
  assert.deepEqual(checkFernetKey(key.replace(/-/g, '+').replace(/_/g, '/')), { ok: true }, 'urlsafe_b64decode also reads +/');
  const unpadded = checkFernetKey(key.slice(0, -1));
  assert.ok(!unpadded.ok && /padding/.test(unpadded.reason) && !unpadded.reason.includes(key.slice(0, 10)));
  const short = checkFernetKey(formatFernetKey(new Uint8Array(32)).slice(0, 40) + '==');
  assert.ok(!short.ok && /decodes to 30 bytes, not 32/.test(short.reason));
  assert.ok(!checkFernetKey(`${key.slice(0, 5)}é${key.slice(5)}`).ok, 'non-ASCII text is refused, as Python refuses a non-ASCII str');
  assert.throws(() => formatFernetKey(new Uint8Array(31)), RangeError);
  assert.deepEqual(
    [0, 1, 2, 3, 73, 89].map((n) => paddingFor(n)),
    ['', '==', '=', '', '==', '='],
  );
});
