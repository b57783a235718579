// The .ics export against RFC 5545: Mozilla's ical.js parses it back, every line is at most 75 octets and CRLF-ended,
// folds never split a UTF-8 character, and TEXT escaping round-trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { keyRecord } from './fixtures.test-support.js';
import { dueCalendar, escapeText, foldLine } from './ics.js';
import { dueReport } from './policy.js';

const NOW = new Date('2025-06-01T12:34:56.789Z');

function calendar(): string {
  const keys = [
    { ...keyRecord('pii-enc-key', 'fernet', { created: '2025-01-10T08:00:00.000Z' }), policy: { maxAge: '90d', warn: '14d' } },
    keyRecord('jwt-secret-key', 'jwt-hmac', { created: '2025-05-20T08:00:00.000Z' }),
    { ...keyRecord('a-key-with-a-rather-long-name-to-force-folding.of.every.line', 'secret'), policy: { maxAge: '2w', warn: '12h' } },
  ];
  return dueCalendar(dueReport(keys, NOW));
}

test('ical.js reads back one event per key with its date, summary, description and alarm', () => {
  const text = calendar();
  const root = new ICAL.Component(ICAL.parse(text));
  assert.equal(root.getFirstPropertyValue('version'), '2.0');
  const events = root.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  assert.equal(events.length, 3);
  const pii = events.find((e) => e.uid === 'pii-enc-key-v1-rotation-due@keyturn')!;
  assert.equal(pii.startDate.toString(), '2025-04-10');
  assert.ok(pii.startDate.isDate, 'an all-day event');
  assert.equal(pii.endDate.toString(), '2025-04-11');
  assert.equal(pii.summary, 'Rotate pii-enc-key (fernet, v1)');
  assert.match(
    pii.description,
    /^pii-enc-key@v1 was created on 2025-01-10; its rotation policy allows 90d, so it is due on 2025-04-10\.\nPlan/,
  );
  const alarm = pii.component.getFirstSubcomponent('valarm')!;
  assert.equal(alarm.getFirstPropertyValue('trigger')!.toString(), '-P14D');
  const long = events.find((e) => e.uid.startsWith('a-key-with'))!;
  assert.equal(long.component.getFirstSubcomponent('valarm')!.getFirstPropertyValue('trigger')!.toString(), '-PT12H');
  assert.ok(!long.description.includes('the default for'), 'its own policy, not the default');
  const dtstamp = pii.component.getFirstPropertyValue('dtstamp')!.toString();
  assert.equal(dtstamp, '2025-06-01T12:34:56Z');
});

test('every line ends in CRLF and holds at most 75 octets; unfolding gives back the logical lines', () => {
  const text = calendar();
  assert.ok(text.endsWith('\r\n'));
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
    assert.ok(!line.includes('\n') && !line.includes('\r'));
  }
  assert.ok(
    lines.some((l) => l.startsWith(' ')),
    'the long lines were folded',
  );
  const unfolded = text.replace(/\r\n /g, '');
  assert.ok(unfolded.includes('SUMMARY:Rotate a-key-with-a-rather-long-name-to-force-folding.of.every.line (secret\\, v1)'));
});

test('folding never splits a UTF-8 sequence, and TEXT escaping survives a parser round trip', () => {
  const text = `Caf\u00e9 \u2014 ${'\u00e9\u20ac\ud83d\udd11'.repeat(30)}; a, b\\c\nnext`;
  const line = foldLine(`DESCRIPTION:${escapeText(text)}`);
  for (const part of line.split('\r\n')) {
    const bytes = Buffer.from(part, 'utf8');
    assert.ok(bytes.length <= 75);
    assert.equal(bytes.toString('utf8'), part, 'no part ends inside a character');
  }
  const cal = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20250101T000000Z\r\n${line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  const event = new ICAL.Component(ICAL.parse(cal)).getFirstSubcomponent('vevent')!;
  assert.equal(event.getFirstPropertyValue('description'), text);
});

test('a line of exactly 75 octets is not folded; 76 is', () => {
  assert.equal(foldLine('X'.repeat(75)), 'X'.repeat(75));
  assert.equal(foldLine('X'.repeat(76)), `${'X'.repeat(75)}\r\n X`);
  assert.equal(foldLine('X'.repeat(75 + 74 + 1)), `${'X'.repeat(75)}\r\n ${'X'.repeat(74)}\r\n X`);
});
