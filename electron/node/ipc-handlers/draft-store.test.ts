import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey } from '../../../shared/domain/generated-key.js';
import { DraftStore } from './draft-store.js';

const key = (n: number): GeneratedKey => ({
  kind: 'secret',
  size: 256,
  fingerprint: `fp${n}`,
  created: new Date(0).toISOString(),
  secret: `value-${n}`,
});

test('drafts get unguessable ids that match the schema pattern', () => {
  const store = new DraftStore();
  const ids = new Set(Array.from({ length: 50 }, (_, i) => store.add(key(i))));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{24}$/);
});

test('a draft expires after its TTL and the error says to generate again', () => {
  let now = 1_000;
  const store = new DraftStore({ ttlMs: 100, now: () => now });
  const id = store.add(key(1));
  now += 99;
  assert.equal(store.get(id).secret, 'value-1'); // a use extends the life
  now += 99;
  assert.equal(store.get(id).secret, 'value-1');
  now += 100;
  assert.throws(
    () => store.get(id),
    (e: unknown) => e instanceof KeyturnError && e.code === 'not-found' && /generate a new one/.test(e.message),
  );
  assert.equal(store.size, 0);
});

test('only the newest drafts are kept and a discard removes one', () => {
  const store = new DraftStore({ max: 3 });
  const ids = [1, 2, 3, 4].map((n) => store.add(key(n)));
  assert.equal(store.size, 3);
  assert.throws(() => store.get(ids[0]!), /no longer held/);
  assert.equal(store.get(ids[3]!).secret, 'value-4');
  assert.equal(store.delete(ids[3]!), true);
  assert.equal(store.delete(ids[3]!), false);
  assert.equal(store.size, 2);
});
