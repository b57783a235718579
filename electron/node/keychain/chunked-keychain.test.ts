// Chunking: values beyond one entry's limit (Windows: 2,560 bytes) are split, reassembled and checked on read.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ChunkedKeychain, MAX_VALUE_BYTES, splitUtf8 } from './chunked-keychain.js';
import { MemoryKeychain } from './memory-keychain.js';

function windowsLike(): MemoryKeychain {
  const inner = new MemoryKeychain();
  inner.maxEntryBytes = 2560;
  return inner;
}

test('a value over 2,500 bytes is stored in numbered chunks that each fit and reads back whole', async () => {
  const inner = windowsLike();
  const kc = new ChunkedKeychain(inner);
  const value = randomBytes(4500).toString('base64'); // 6,000 characters
  assert.equal(await kc.set('big@v1', value), 3);
  assert.deepEqual([...inner.entries.keys()].sort(), ['big@v1', 'big@v1#1', 'big@v1#2', 'big@v1#3']);
  for (const [, stored] of inner.entries) assert.ok(Buffer.byteLength(stored) <= 2500);
  assert.match(inner.entries.get('big@v1')!, /^keyturn-chunked:v1:3:[0-9a-f]{64}$/);
  assert.equal(await kc.get('big@v1'), value);
  assert.deepEqual(await kc.list(), ['big@v1']);
});

test('without chunking the same value is refused by a Windows-sized entry', async () => {
  const inner = windowsLike();
  await assert.rejects(inner.set('big@v1', 'x'.repeat(3000)), { code: 'value-too-large' });
});

test('a small value is stored as is, in one entry', async () => {
  const inner = new MemoryKeychain();
  const kc = new ChunkedKeychain(inner);
  assert.equal(await kc.set('k@v1', 'short-value'), 1);
  assert.equal(inner.entries.get('k@v1'), 'short-value');
  assert.equal(inner.entries.size, 1);
});

test('multi-byte characters are never split across chunks', () => {
  const value = 'é'.repeat(150) + '😀'.repeat(40);
  const pieces = splitUtf8(value, 101);
  assert.equal(pieces.join(''), value);
  for (const p of pieces) assert.ok(Buffer.byteLength(p) <= 101 && !p.includes('\uFFFD'));
});

test('a value that looks like a manifest is chunked, so it reads back as itself', async () => {
  const kc = new ChunkedKeychain(new MemoryKeychain());
  const tricky = `keyturn-chunked:v1:2:${'0'.repeat(64)}`;
  await kc.set('t@v1', tricky);
  assert.equal(await kc.get('t@v1'), tricky);
});

test('a missing or altered chunk is reported as changed outside Keyturn', async () => {
  const inner = new MemoryKeychain();
  const kc = new ChunkedKeychain(inner, 100);
  const value = 'a'.repeat(250);
  await kc.set('c@v1', value);
  inner.entries.set('c@v1#2', 'b'.repeat(100));
  await assert.rejects(kc.get('c@v1'), { code: 'changed-outside' });
  inner.entries.delete('c@v1#2');
  await assert.rejects(kc.get('c@v1'), { code: 'changed-outside', message: /part 2 of 3 is missing/ });
});

test('delete removes the manifest and every chunk', async () => {
  const inner = new MemoryKeychain();
  const kc = new ChunkedKeychain(inner, 100);
  await kc.set('d@v1', 'z'.repeat(350));
  assert.equal(inner.entries.size, 5);
  assert.equal(await kc.delete('d@v1'), true);
  assert.equal(inner.entries.size, 0);
});

test('a write that fails part-way leaves no chunks behind', async () => {
  const inner = new MemoryKeychain();
  const kc = new ChunkedKeychain(inner, 100);
  const original = inner.set.bind(inner);
  let calls = 0;
  inner.set = async (account, value, signal) => {
    calls += 1;
    if (calls === 3) throw new Error('disk full');
    return original(account, value, signal);
  };
  await assert.rejects(kc.set('f@v1', 'q'.repeat(450)), /disk full/);
  assert.equal(inner.entries.size, 0);
});

test('values larger than Keyturn keeps are refused with value-too-large', async () => {
  const kc = new ChunkedKeychain(new MemoryKeychain());
  await assert.rejects(kc.set('huge@v1', 'x'.repeat(MAX_VALUE_BYTES + 1)), { code: 'value-too-large' });
});
