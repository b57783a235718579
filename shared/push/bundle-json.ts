// A bundle secret is one JSON object of env-var name -> value. Merging changes only the named fields and keeps every
// other byte of the stored text as it was (other fields, their order, spacing and escapes), so a service reading the
// bundle sees nothing move but what was pushed.
import { KeyturnError } from '../domain/errors.js';

interface Member {
  name: string;
  /** Offsets of the value's text in the bundle. */
  start: number;
  end: number;
  /** Offset where the member (its name's opening quote) starts. */
  memberStart: number;
}

export interface ParsedBundle {
  /** Field -> value; only string values are fields a key can fill, others stay as they are. */
  fields: Map<string, unknown>;
  members: Member[];
  /** Offset of the object's closing brace. */
  close: number;
}

function notAnObject(): KeyturnError {
  return new KeyturnError(
    'conflict',
    'The bundle secret does not hold a JSON object, so Keyturn cannot merge fields into it without losing what is there; push to a new bundle name or to single secrets.',
  );
}

/** Parses the stored text: a JSON object at top level (anything else is a conflict), with the span of each member. */
export function parseBundle(text: string): ParsedBundle {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAnObject();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAnObject();
  const members: Member[] = [];
  let i = skipSpace(text, 0);
  if (text[i] !== '{') throw notAnObject();
  i = skipSpace(text, i + 1);
  while (text[i] !== '}') {
    const memberStart = i;
    const nameEnd = scanString(text, i);
    const name = JSON.parse(text.slice(i, nameEnd)) as string;
    i = skipSpace(text, nameEnd);
    i = skipSpace(text, i + 1); // ':'
    const start = i;
    const end = scanValue(text, i);
    members.push({ name, start, end, memberStart });
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return { fields: new Map(Object.entries(value as Record<string, unknown>)), members, close: i };
}

/** The bundle with `updates` written: existing fields replaced in place, new ones appended in the object's own style. */
export function mergeBundle(text: string | undefined, updates: ReadonlyMap<string, string>): string {
  if (text === undefined) return JSON.stringify(Object.fromEntries(updates));
  const parsed = parseBundle(text);
  const edits: { start: number; end: number; text: string }[] = [];
  const present = new Set(parsed.members.map((m) => m.name));
  for (const member of parsed.members) {
    const next = updates.get(member.name);
    if (next !== undefined) edits.push({ start: member.start, end: member.end, text: JSON.stringify(next) });
  }
  const added = [...updates].filter(([name]) => !present.has(name));
  if (added.length > 0) {
    const last = parsed.members[parsed.members.length - 1];
    // Indentation of the last member (pretty-printed bundles stay pretty), or none for a compact one.
    const lead = last ? leadingSpace(text, last.memberStart) : '';
    const colon = last ? text.slice(last.memberStart, last.start).replace(/^"(?:[^"\\]|\\.)*"/, '') : ':';
    const body = added.map(([name, value]) => `${lead}${JSON.stringify(name)}${colon}${JSON.stringify(value)}`).join(',');
    const at = last ? last.end : parsed.close;
    edits.push({ start: at, end: at, text: last ? `,${body}` : body });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function leadingSpace(text: string, at: number): string {
  let i = at;
  while (i > 0 && /\s/.test(text[i - 1]!)) i -= 1;
  return text.slice(i, at);
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i += 1;
  return i;
}

/** End offset (exclusive) of the JSON string starting at `at`. */
function scanString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i += 1;
  }
  throw notAnObject();
}

/** End offset (exclusive) of the JSON value starting at `at` (the text was already checked by JSON.parse). */
function scanValue(text: string, at: number): number {
  const c = text[at];
  if (c === '"') return scanString(text, at);
  if (c === '{' || c === '[') {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const d = text[i];
      if (d === '"') {
        i = scanString(text, i);
        continue;
      }
      if (d === '{' || d === '[') depth += 1;
      if (d === '}' || d === ']') {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
    throw notAnObject();
  }
  let i = at;
  while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i += 1;
  return i;
}
