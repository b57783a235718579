// Policies and due dates: strict duration parsing, defaults per kind, past/near/ok at the boundaries, CI exit semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from '../domain/errors.js';
import { KEY_KINDS } from '../domain/key-kinds.js';
import { DAY_MS, HOUR_MS, describeDuration, formatDuration, parsePolicyDuration } from './durations.js';
import { keyRecord } from './fixtures.test-support.js';
import { DEFAULT_POLICIES, checkPolicy, dueEntry, dueReport, effectivePolicy } from './policy.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KeyturnError);
    return error.code;
  }
  assert.fail('expected a KeyturnError');
};

test('policy durations: 90d, 14d, 12h and 2w parse; bare numbers, zero, fractions, other units and huge values are refused', () => {
  assert.equal(parsePolicyDuration('90d'), 90 * DAY_MS);
  assert.equal(parsePolicyDuration('14d'), 14 * DAY_MS);
  assert.equal(parsePolicyDuration('12h'), 12 * HOUR_MS);
  assert.equal(parsePolicyDuration(' 2w '), 14 * DAY_MS);
  for (const bad of ['90', '0d', '1.5d', '90D', '3m', 'd', '', '-5d', '90 d', '3651d', '9999999d'])
    assert.equal(
      code(() => parsePolicyDuration(bad, '--max-age')),
      'invalid-input',
      bad,
    );
  assert.equal(parsePolicyDuration('3650d'), 3650 * DAY_MS);
});

test('a rejected duration is echoed only when short and plain', () => {
  assert.throws(() => parsePolicyDuration('90x', '--max-age'), /--max-age .*\(got "90x"\)/);
  const pasted = 'gAAAAAB-looks-like-a-token/with+symbols==';
  assert.throws(
    () => parsePolicyDuration(pasted),
    (e: Error) => !e.message.includes(pasted) && e.message.includes(`${pasted.length} characters`),
  );
});

test('durations print in their shortest exact form and in words', () => {
  assert.deepEqual([14 * DAY_MS, 90 * DAY_MS, 36 * HOUR_MS, 15 * 60_000].map(formatDuration), ['2w', '90d', '36h', '15m']);
  assert.equal(describeDuration(7 * DAY_MS), '7 days');
  assert.equal(describeDuration(DAY_MS + 12 * HOUR_MS + 60_000), '1 day 12 hours 1 minute');
  assert.equal(describeDuration(15 * 60_000), '15 minutes');
});

test('every kind has a default whose warning comes before its due date', () => {
  for (const kind of KEY_KINDS) {
    const p = DEFAULT_POLICIES[kind];
    assert.ok(parsePolicyDuration(p.warn) < parsePolicyDuration(p.maxAge), kind);
  }
  assert.equal(effectivePolicy(keyRecord('a', 'jwt-hmac')).maxAge, '90d');
  assert.equal(effectivePolicy(keyRecord('a', 'fernet')).source, 'default');
});

test('checkPolicy: warn must be shorter than maxAge; without --warn a short policy gets a proportional lead time', () => {
  assert.deepEqual(checkPolicy({ maxAge: '90d', warn: '14d' }, 'fernet'), { maxAge: '90d', warn: '14d' });
  assert.equal(
    code(() => checkPolicy({ maxAge: '14d', warn: '14d' }, 'fernet')),
    'invalid-input',
  );
  assert.equal(
    code(() => checkPolicy({ maxAge: '30', warn: '1d' }, 'fernet')),
    'invalid-input',
  );
  assert.deepEqual(checkPolicy({ maxAge: '30d' }, 'fernet'), { maxAge: '30d', warn: '5d' }); // fernet's 30d default does not fit
  assert.deepEqual(checkPolicy({ maxAge: '12h' }, 'secret'), { maxAge: '12h', warn: '2h' });
  assert.deepEqual(checkPolicy({ maxAge: '90d' }, 'jwt-hmac'), { maxAge: '90d', warn: '14d' });
});

test('due state at the boundaries: ok until warn, near from warn to due, past from the due instant', () => {
  const created = '2025-01-01T00:00:00.000Z';
  const key = { ...keyRecord('k', 'jwt-hmac', { created }), policy: { maxAge: '90d', warn: '14d' } };
  const due = Date.parse(created) + 90 * DAY_MS;
  const at = (ms: number) => dueEntry(key, new Date(ms));
  assert.equal(at(due - 14 * DAY_MS - 1).state, 'ok');
  assert.equal(at(due - 14 * DAY_MS).state, 'near');
  assert.equal(at(due - 1).state, 'near');
  assert.equal(at(due).state, 'past');
  assert.equal(at(due).due, '2025-04-01T00:00:00.000Z');
  assert.equal(at(due - 6.5 * DAY_MS).daysLeft, 6);
  assert.equal(at(due + HOUR_MS).daysLeft, -1);
  assert.equal(at(due + 10 * DAY_MS).ageDays, 100);
});

test('the age counts from the current version, not the first', () => {
  const k = keyRecord('k', 'fernet', { versions: 2 });
  k.versions[1]!.created = '2025-02-01T00:00:00.000Z';
  assert.equal(dueEntry(k, new Date('2025-03-01T00:00:00.000Z')).ageDays, 28);
  assert.equal(dueEntry(k, new Date('2025-03-01T00:00:00.000Z')).version, 2);
});

test('due report: most urgent first, counts, and exit 1 only when something is past due', () => {
  const now = new Date('2025-06-01T00:00:00.000Z');
  const fresh = keyRecord('fresh', 'fernet', { created: '2025-05-01T00:00:00.000Z' });
  const near = { ...keyRecord('near', 'secret', { created: '2025-03-10T00:00:00.000Z' }) }; // 90d -> 2025-06-08
  const past = keyRecord('past', 'jwt-hmac', { created: '2025-01-01T00:00:00.000Z' });
  const report = dueReport([fresh, near, past], now);
  assert.deepEqual(
    report.entries.map((e) => [e.key, e.state]),
    [
      ['past', 'past'],
      ['near', 'near'],
      ['fresh', 'ok'],
    ],
  );
  assert.deepEqual(report.counts, { past: 1, near: 1, ok: 1 });
  assert.equal(report.exitCode, 1);
  assert.equal(dueReport([fresh, near], now).exitCode, 0);
  assert.equal(dueReport([], now).exitCode, 0);
});
