import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBase64Lenient, decodeBase64url, encodeBase64, encodeBase64url } from './base64.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

test('encodes the RFC 4648 section 10 vectors in both alphabets, padded and not', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, b64] of vectors) {
    assert.equal(encodeBase64(ascii(plain), { url: false, pad: true }), b64);
    assert.equal(encodeBase64url(ascii(plain)), b64.replace(/=+$/, ''));
  }
  const high = Uint8Array.from([0xfb, 0xff, 0xfe]);
  assert.equal(encodeBase64(high, { url: false, pad: true }), '+//+');
  assert.equal(encodeBase64(high, { url: true, pad: true }), '-__-');
});

test('strict base64url decoding refuses padding, other alphabets, whitespace, impossible lengths and stray bits', () => {
  assert.equal(text(decodeBase64url('Zm9vYmE')!), 'fooba');
  assert.deepEqual(decodeBase64url('-__-'), Uint8Array.from([0xfb, 0xff, 0xfe]));
  assert.deepEqual(decodeBase64url(''), new Uint8Array(0));
  for (const bad of ['Zm9vYmE=', '+//+', 'Zm9v Ym', 'Zm9vY', 'Zh', 'Zm9vYmF', 'é']) assert.equal(decodeBase64url(bad), null, bad);
});

test('lenient decoding follows CPython binascii: skips junk, honours padding, stops after it', () => {
  const ok = (input: string | Uint8Array): string => {
    const r = decodeBase64Lenient(input);
    assert.ok(r.ok, `expected ${JSON.stringify(input)} to decode`);
    return text(r.bytes);
  };
  const reason = (input: string | Uint8Array): string => {
    const r = decodeBase64Lenient(input);
    assert.ok(!r.ok, `expected ${JSON.stringify(input)} to fail`);
    return r.reason;
  };
  assert.equal(ok('Zm9vYmE='), 'fooba');
  assert.equal(ok('Zm9v\nYmE='), 'fooba'); // whitespace discarded
  assert.equal(ok('Zm9v%YmE='), 'fooba'); // any non-alphabet byte discarded
  assert.equal(ok('Zm9vYmE=trailing junk'), 'fooba'); // nothing after complete padding is read
  assert.equal(ok('Zm=9vYmE='), 'fooba'); // a lone '=' inside a quad is dropped once data follows it
  assert.equal(ok('=Zm9v'), 'foo'); // '=' at quad position 0 is ignored
  assert.equal(ok('Zg=\n='), 'f'); // pads may be separated by junk
  assert.equal(ok('+//+'), text(Uint8Array.from([0xfb, 0xff, 0xfe])));
  assert.equal(reason('Zm9vYmE'), 'incorrect-padding');
  assert.equal(reason('Zg='), 'incorrect-padding');
  assert.equal(reason('Zm9vY'), 'invalid-length');
  assert.equal(reason('Zm9vYmE=é'), 'non-ascii'); // a str is checked for ASCII as a whole
  assert.equal(ok(Uint8Array.from([...ascii('Zm9v'), 0xc3, 0xa9, ...ascii('YmE=')])), 'fooba'); // bytes: high bytes skipped
});
