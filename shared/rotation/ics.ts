// An iCalendar (RFC 5545) export of rotation due dates: one all-day event per key, with an alarm at the warning time.
import type { DueEntry, DueReport } from './policy.js';
import { parsePolicyDuration } from './durations.js';

const CRLF = '\r\n';
/** RFC 5545 3.1: lines longer than 75 octets are folded; a continuation line starts with one space. */
const MAX_OCTETS = 75;

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line at 75 octets without splitting a UTF-8 sequence (a fold inside one corrupts the character). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines carry the leading space, so they hold one octet less of content.
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** `20250301T090000Z` */
function utcStamp(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `20250301`, the UTC day of an instant. */
function utcDate(iso: string): string {
  return iso.slice(0, 10).replace(/-/g, '');
}

function nextDay(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return utcDate(d.toISOString());
}

/** `-P14D` / `-PT12H`: the alarm fires the warning period before the due day starts. */
function trigger(warn: string): string {
  const hours = parsePolicyDuration(warn) / 3_600_000;
  return hours % 24 === 0 ? `-P${hours / 24}D` : `-PT${hours}H`;
}

function event(e: DueEntry, stamp: string): string[] {
  const summary = `Rotate ${e.key} (${e.kind}, v${e.version})`;
  const policy = `${e.policy.maxAge}${e.policy.source === 'default' ? ` (the default for ${e.kind} keys)` : ''}`;
  const description = [
    `${e.key}@v${e.version} was created on ${e.created.slice(0, 10)}; its rotation policy allows ${policy}, so it is due on ${e.due.slice(0, 10)}.`,
    `Plan the rotation with: keyturn rotate plan ${e.key} --env-file FILE`,
  ].join('\n');
  return [
    'BEGIN:VEVENT',
    // One event per key version: a rotated key gets a new UID, so calendars keep the old event as done history.
    `UID:${e.key}-v${e.version}-rotation-due@keyturn`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${utcDate(e.due)}`,
    `DTEND;VALUE=DATE:${nextDay(e.due)}`,
    `SUMMARY:${escapeText(summary)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `CATEGORIES:${escapeText('Keyturn')},${escapeText('key rotation')}`,
    'TRANSP:TRANSPARENT',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `TRIGGER:${trigger(e.policy.warn)}`,
    `DESCRIPTION:${escapeText(`${e.key} is due for rotation in ${e.policy.warn}`)}`,
    'END:VALARM',
    'END:VEVENT',
  ];
}

/** The whole calendar, CRLF line ends, every line folded; no secret is in a due report, so none can be here. */
export function dueCalendar(report: DueReport): string {
  const stamp = utcStamp(report.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Keyturn//Key rotation due dates//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText('Keyturn key rotation')}`,
    ...report.entries.flatMap((e) => event(e, stamp)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
