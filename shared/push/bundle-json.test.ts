// Bundle merges change only the named fields: every other byte of the stored JSON stays as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeBundle, parseBundle } from './bundle-json.js';

const updates = (entries: [string, string][]) => new Map(entries);

test('a new bundle is a compact JSON object of the fields, in order', () => {
  const text = mergeBundle(
    undefined,
    updates([
      ['PII_ENC_KEY', 'k1'],
      ['SECRET_KEY', 's"1'],
    ]),
  );
  assert.equal(text, '{"PII_ENC_KEY":"k1","SECRET_KEY":"s\\"1"}');
  assert.deepEqual(JSON.parse(text), { PII_ENC_KEY: 'k1', SECRET_KEY: 's"1' });
});

test('replacing a field keeps the other fields byte for byte: escapes, numbers, nesting, spacing, order', () => {
  const stored =
    '{\n  "DATABASE_URL": "postgres://u:p\\u0040h/db",\n  "PII_ENC_KEY" : "old",\n  "N": 1.50e2,\n  "NESTED": {"a": [1, "}", {"b": "]"}]},\n  "FLAG": true\n}\n';
  const merged = mergeBundle(stored, updates([['PII_ENC_KEY', 'new']]));
  assert.equal(merged, stored.replace('"old"', '"new"'));
  assert.deepEqual(JSON.parse(merged).NESTED, { a: [1, '}', { b: ']' }] });
});

test('adding fields appends them in the object style already there (pretty or compact) and keeps the rest', () => {
  const pretty = '{\n  "A": "1",\n  "B": "2"\n}';
  assert.equal(mergeBundle(pretty, updates([['C', '3']])), '{\n  "A": "1",\n  "B": "2",\n  "C": "3"\n}');
  const compact = '{"A":"1"}';
  assert.equal(
    mergeBundle(
      compact,
      updates([
        ['A', 'x'],
        ['B', 'y'],
      ]),
    ),
    '{"A":"x","B":"y"}',
  );
  assert.equal(mergeBundle('{ }', updates([['A', '1']])), '{ "A":"1"}');
  assert.deepEqual(JSON.parse(mergeBundle('{ }', updates([['A', '1']]))), { A: '1' });
});

test('a duplicated field is replaced everywhere, so every JSON reader sees the new value', () => {
  const merged = mergeBundle('{"A":"1","A":"2","B":"3"}', updates([['A', 'z']]));
  assert.equal(merged, '{"A":"z","A":"z","B":"3"}');
});

test('a value that is not a JSON object is a conflict, never overwritten', () => {
  for (const text of ['plain-text-secret', '[1,2]', '"str"', 'null', '{"a":']) {
    assert.throws(() => mergeBundle(text, updates([['A', '1']])), { code: 'conflict' });
  }
});

test('parseBundle lists fields with their values and spans', () => {
  const parsed = parseBundle('{"A":"1", "B": {"x": 2}}');
  assert.deepEqual([...parsed.fields.keys()], ['A', 'B']);
  assert.deepEqual(
    parsed.members.map((m) => m.name),
    ['A', 'B'],
  );
});
