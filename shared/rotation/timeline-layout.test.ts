// The timeline's geometry from a real due report: bars in time order along x, the warning window inside the bar, the
// overdue stretch ending on today's line, month ticks in order, and the words a screen reader hears.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyRecord } from './fixtures.test-support.js';
import { dueReport } from './policy.js';
import { DEFAULT_TIMELINE, dueStatus, timelineLayout } from './timeline-layout.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

function report() {
  return dueReport(
    [
      keyRecord('pii-enc-key', 'fernet', { created: '2024-11-01T12:00:00.000Z' }),
      keyRecord('jwt-secret-key', 'jwt-hmac', { created: '2025-03-15T12:00:00.000Z' }),
      { ...keyRecord('session', 'secret', { created: '2025-05-20T12:00:00.000Z' }), policy: { maxAge: '2w', warn: '12h' } },
    ],
    NOW,
  );
}

test('bars run from creation through the warning window to the due date; an overdue bar reaches today', () => {
  const layout = timelineLayout(report());
  assert.deepEqual(
    layout.rows.map((r) => [r.entry.key, r.entry.state]),
    [
      ['pii-enc-key', 'past'],
      ['jwt-secret-key', 'near'],
      ['session', 'ok'],
    ],
  );
  for (const row of layout.rows) {
    assert.ok(layout.plotLeft <= row.created && row.created < row.warnStart && row.warnStart <= row.due, row.entry.key);
    assert.ok(row.due <= layout.plotRight, `${row.entry.key} fits the plot`);
  }
  const [pii, jwt, session] = layout.rows;
  assert.equal(pii!.overdueEnd, layout.nowX);
  assert.equal(jwt!.overdueEnd, undefined);
  assert.ok(jwt!.warnStart < layout.nowX && layout.nowX < jwt!.due, 'today falls in the JWT key\u2019s warning window');
  // 12 hours of warning on a two-week policy: a sliver, but there.
  assert.ok(session!.due - session!.warnStart > 0 && session!.due - session!.warnStart < 3);
  assert.deepEqual(
    layout.rows.map((r) => r.y),
    [22, 22 + DEFAULT_TIMELINE.rowHeight, 22 + 2 * DEFAULT_TIMELINE.rowHeight],
  );
});

test('month ticks in order, labelled with the year at the first tick and at each January', () => {
  const { ticks } = timelineLayout(report());
  assert.ok(ticks.length >= 4);
  assert.deepEqual(
    ticks.map((t) => t.x),
    [...ticks.map((t) => t.x)].sort((a, b) => a - b),
  );
  assert.match(ticks[0]!.label, /^[A-Z][a-z]{2} 20\d\d$/);
  for (const t of ticks.slice(1)) assert.match(t.label, /^(Jan 20\d\d|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/);
});

test('what a screen reader hears for a bar', () => {
  const { rows } = timelineLayout(report());
  assert.equal(
    rows[0]!.description,
    'pii-enc-key, fernet, version 1: Past due, 32 days overdue. Made 2024-11-01, 212 days old; rotate every 180d (the default for fernet keys), due 2025-04-30.',
  );
  assert.equal(rows[1]!.status, 'due in 12 days');
  assert.equal(rows[2]!.status, 'due in 2 days');
  assert.equal(dueStatus({ ...rows[1]!.entry, due: '2025-06-01T20:00:00.000Z' }, NOW.getTime()), 'due today');
});
