// Pasted share text splits into shares the way people paste them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decodeShare, encodeShare, shareLines, type EscrowShare } from './share-codec.js';
import { splitShareText } from './share-blocks.js';

const share = (index: number): EscrowShare => ({
  bundleId: 'K3M9QX2A',
  set: 1,
  index,
  threshold: 2,
  shares: 3,
  data: new Uint8Array(randomBytes(33)),
});

test('one share per line, sheet blocks separated by blank lines, and age blocks each count as one share', () => {
  const [a, b, c] = [share(1), share(2), share(3)];
  const armored = '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----';
  const text = `${encodeShare(a)}\n${encodeShare(b).replace(/-/g, ' ')}\n\n${shareLines(encodeShare(c)).join('\n')}\n\n${armored}\n`;
  const parts = splitShareText(text);
  assert.equal(parts.length, 4);
  assert.deepEqual(parts.slice(0, 3).map(decodeShare), [a, b, c]);
  assert.equal(parts[3], armored);
  assert.deepEqual(splitShareText('\n\n  \n'), []);
  // A half-typed share stays one block, so its error names the groups rather than splitting it apart.
  assert.equal(splitShareText(shareLines(encodeShare(a)).slice(0, 3).join('\n')).length, 1);
});
