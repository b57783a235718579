// The typed form of a share: it reads back exactly, forgives what people do (case, spacing, line numbers, O for 0),
// and every single mistyped character, swapped neighbours and swapped groups are caught and located.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { CROCKFORD_ALPHABET } from './crockford-base32.js';
import { GROUPS, SHARE_DATA_BYTES, SHARE_TEXT_CHARS, decodeShare, encodeShare, shareLines, type EscrowShare } from './share-codec.js';

function sampleShare(overrides: Partial<EscrowShare> = {}): EscrowShare {
  return {
    bundleId: 'K3M9QX2A',
    set: 2,
    index: 4,
    threshold: 3,
    shares: 5,
    data: new Uint8Array(randomBytes(SHARE_DATA_BYTES)),
    ...overrides,
  };
}

function decodeError(text: string): KeyturnError {
  try {
    decodeShare(text);
  } catch (error) {
    assert.ok(error instanceof KeyturnError, String(error));
    return error;
  }
  assert.fail('the share was accepted');
}

test('a share reads back exactly, header and data', () => {
  for (let i = 0; i < 50; i += 1) {
    const share = sampleShare({ index: (i % 5) + 1 });
    const text = encodeShare(share);
    assert.equal(text.replace(/-/g, '').length, SHARE_TEXT_CHARS);
    assert.match(text, /^([0-9A-HJKMNP-TV-Z]{6}-){15}[0-9A-HJKMNP-TV-Z]{6}$/);
    assert.deepEqual(decodeShare(text), share);
  }
});

test('case, spacing, dashes, sheet line numbers and look-alike letters do not matter', () => {
  const share = sampleShare();
  const text = encodeShare(share);
  const sheet = shareLines(text).join('\n');
  assert.match(sheet, /^ 1 {2}\S{6} \S{6} \S{6} \S{6}\n 2 {2}/);
  assert.deepEqual(decodeShare(sheet), share);
  assert.deepEqual(decodeShare(text.toLowerCase().replace(/-/g, '  ')), share);
  assert.deepEqual(decodeShare(text.replace(/-/g, '')), share);
  assert.deepEqual(decodeShare(text.replace(/0/g, 'O').replace(/1/g, 'l')), share);
});

test('every single mistyped character is caught and its group named', () => {
  const text = encodeShare(sampleShare()).replace(/-/g, '');
  for (let at = 0; at < text.length; at += 1) {
    for (const wrong of CROCKFORD_ALPHABET) {
      if (wrong === text[at]) continue;
      const typo = text.slice(0, at) + wrong + text.slice(at + 1);
      const error = decodeError(typo);
      assert.equal(error.code, 'invalid-share');
      assert.deepEqual(error.details?.groups, [Math.floor(at / 6) + 1], `position ${at}`);
    }
  }
});

test('swapped neighbours, swapped groups and lines from two shares are caught', () => {
  const text = encodeShare(sampleShare()).replace(/-/g, '');
  let swaps = 0;
  for (let at = 0; at + 1 < text.length; at += 1) {
    if (text[at] === text[at + 1]) continue;
    swaps += 1;
    const swapped = text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
    assert.equal(decodeError(swapped).code, 'invalid-share', `swap at ${at}`);
  }
  assert.ok(swaps > 50);
  const groups = encodeShare(sampleShare()).split('-');
  [groups[3], groups[4]] = [groups[4]!, groups[3]!];
  assert.match(decodeError(groups.join('-')).message, /Groups 4, 5 of 16 have a typing error/);
  // The first two lines of one share with the last two of another: every group checks, the checksum does not.
  const a = encodeShare(sampleShare()).split('-');
  const b = encodeShare(sampleShare()).split('-');
  const mixed = [...a.slice(0, 8), ...b.slice(8)].join('-');
  assert.match(decodeError(mixed).message, /checksum does not match although every group checks/);
});

test('wrong lengths and foreign characters are described, never quoted', () => {
  const text = encodeShare(sampleShare()).replace(/-/g, '');
  const short = decodeError(text.slice(0, -6));
  assert.match(short.message, /has 90 characters; a share has 96 \(16 groups of 6\)/);
  assert.ok(!short.message.includes(text.slice(0, 12)));
  const foreign = decodeError(text.slice(0, 10) + 'U' + text.slice(11));
  assert.match(foreign.message, /Character 11 \(in group 2\) is not one a share uses/);
  assert.equal(decodeError('').code, 'invalid-share');
  assert.equal(GROUPS, 16);
});

test('the header is range-checked both ways', () => {
  assert.throws(() => encodeShare(sampleShare({ index: 6 })), { code: 'internal' });
  assert.throws(() => encodeShare(sampleShare({ threshold: 1 })), { code: 'internal' });
  assert.throws(() => encodeShare(sampleShare({ bundleId: 'nope' })), { code: 'invalid-input' });
});
