// Reads .env text exactly as python-dotenv does (no interpolation), keeping line numbers and value offsets for edits.
import { KeyturnError } from '../domain/errors.js';

/** Python's `\s` (str.isspace): JS `\s` without U+FEFF, plus U+001C-U+001F and U+0085. */
const WS = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's `[^\S\r\n]`: whitespace that does not end a line. */
const HWS = '\\t\\v\\f \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const RE_MULTILINE_WS = new RegExp(`[${WS}]*`, 'y');
const RE_HWS = new RegExp(`[${HWS}]*`, 'y');
const RE_EXPORT = new RegExp(`(?:export[${HWS}]+)?`, 'y');
const RE_SINGLE_QUOTED_KEY = /'([^']+)'/y;
const RE_UNQUOTED_KEY = new RegExp(`[^=#${WS}]+`, 'y');
const RE_COMMENT = new RegExp(`(?:[${HWS}]*#[^\\r\\n]*)?`, 'y');
const RE_END_OF_LINE = new RegExp(`[${HWS}]*(?:\\r\\n|\\n|\\r|$)`, 'y');
const RE_REST_OF_LINE = /[^\r\n]*(?:\r|\n|\r\n)?/y;
const RE_UNQUOTED_VALUE = /[^\r\n]*/y;
const RE_INLINE_COMMENT = new RegExp(`[${WS}]+#`);
const RE_TRAILING_WS = new RegExp(`[${WS}]+$`);
const RE_DOUBLE_ESCAPES = /\\[\\'"abfnrtv]/g;
const RE_SINGLE_ESCAPES = /\\[\\']/g;
const RE_INTERPOLATION = /\$\{[^}:]*(?::-[^}]*)?\}/;

const DOUBLE_ESCAPE_VALUES: Record<string, string> = {
  '\\\\': '\\',
  "\\'": "'",
  '\\"': '"',
  '\\a': '\x07',
  '\\b': '\b',
  '\\f': '\f',
  '\\n': '\n',
  '\\r': '\r',
  '\\t': '\t',
  '\\v': '\v',
};

/** Largest .env file Keyturn reads; real ones are a few kilobytes. */
export const MAX_ENV_BYTES = 8 * 1024 * 1024;

export type EnvQuote = 'none' | 'single' | 'double';

export interface EnvEntry {
  key: string;
  /** The value python-dotenv yields (escapes decoded, comment stripped); null for a bare `KEY` line. */
  value: string | null;
  quote: EnvQuote;
  exported: boolean;
  /** 1-based line of the key and of the value's last character. */
  line: number;
  endLine: number;
  /** Offsets of the raw value in the text, quotes included (equal when the value is empty or absent). */
  valueStart: number;
  valueEnd: number;
  /** Text of a trailing `# comment`, without the `#`. */
  comment?: string;
  /** python-dotenv would expand `${VAR}` in this value (unquoted or double-quoted). */
  interpolated: boolean;
}

export interface EnvComment {
  line: number;
  text: string;
}

export type EnvSyntaxKind = 'unclosed-quote' | 'text-after-quote' | 'expected-equals' | 'expected-name' | 'byte-order-mark';

export interface EnvSyntaxProblem {
  line: number;
  kind: EnvSyntaxKind;
  /** A sentence that names no part of the line (it may hold a secret). */
  message: string;
}

export interface ParsedEnv {
  entries: EnvEntry[];
  comments: EnvComment[];
  problems: EnvSyntaxProblem[];
  /** The first line ending in the text, '\n' when there is none. */
  eol: '\n' | '\r\n' | '\r';
  endsWithNewline: boolean;
  lineCount: number;
}

const PROBLEM_TEXT: Record<EnvSyntaxKind, string> = {
  'unclosed-quote': 'a quoted value is never closed, so python-dotenv skips this line; add the closing quote',
  'text-after-quote':
    "text follows the closing quote, so python-dotenv skips this line; start a comment with ' #' or quote the whole value",
  'expected-equals': "expected '=' after the variable name, so python-dotenv skips this line; write NAME=value",
  'expected-name': 'expected a variable name before the value, so python-dotenv skips this line; write NAME=value',
  'byte-order-mark':
    'the file starts with a byte-order mark, so python-dotenv reads a different first variable name; save the file as UTF-8 without BOM',
};

class Fail extends Error {}

/** Where the matching close quote is, with python-dotenv's regex semantics (`"((?:\\"|[^"])*)"` and backtracking). */
function closingQuote(text: string, open: number, quote: string): number {
  let lastEscapedQuote = -1;
  for (let i = open + 1; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === quote) {
      lastEscapedQuote = i + 1;
      i += 1;
    } else if (c === quote) {
      return i;
    }
  }
  return lastEscapedQuote;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i += 1;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Parse .env text. Never throws: a statement python-dotenv would skip becomes a problem on its line. */
export function parseEnv(text: string): ParsedEnv {
  const starts = lineStarts(text);
  const entries: EnvEntry[] = [];
  const comments: EnvComment[] = [];
  const problems: EnvSyntaxProblem[] = [];
  let pos = 0;

  const match = (re: RegExp): RegExpExecArray => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Fail();
    pos = re.lastIndex;
    return m;
  };

  if (text.charCodeAt(0) === 0xfeff) problems.push({ line: 1, kind: 'byte-order-mark', message: PROBLEM_TEXT['byte-order-mark'] });

  while (pos < text.length) {
    match(RE_MULTILINE_WS);
    if (pos >= text.length) break;
    const bindingStart = pos;
    let kind: EnvSyntaxKind = 'expected-name';
    try {
      const exported = match(RE_EXPORT)[0].length > 0;
      if (text[pos] === '#') {
        const m = match(RE_COMMENT);
        comments.push({ line: lineOf(starts, bindingStart), text: m[0].replace(/^[^#]*#/, '') });
        match(RE_END_OF_LINE);
        continue;
      }
      const key = text[pos] === "'" ? match(RE_SINGLE_QUOTED_KEY)[1]! : match(RE_UNQUOTED_KEY)[0];
      const keyEnd = pos;
      match(RE_HWS);
      let value: string | null = null;
      let quote: EnvQuote = 'none';
      let valueStart = keyEnd;
      let valueEnd = keyEnd;
      let comment: string | undefined;
      if (text[pos] === '=') {
        pos += 1;
        match(RE_HWS);
        valueStart = pos;
        const c = text[pos];
        if (c === "'" || c === '"') {
          kind = 'unclosed-quote';
          const close = closingQuote(text, pos, c);
          if (close < 0) throw new Fail();
          // Both parsers read files with universal newlines, so a CRLF inside a quoted value is one '\n'.
          const raw = text.slice(pos + 1, close).replace(/\r\n?/g, '\n');
          quote = c === '"' ? 'double' : 'single';
          value =
            quote === 'double'
              ? raw.replace(RE_DOUBLE_ESCAPES, (e) => DOUBLE_ESCAPE_VALUES[e]!)
              : raw.replace(RE_SINGLE_ESCAPES, (e) => e.slice(1));
          pos = close + 1;
          valueEnd = pos;
        } else if (c === undefined || c === '\n' || c === '\r') {
          value = '';
          valueEnd = pos;
        } else {
          const part = match(RE_UNQUOTED_VALUE)[0];
          const cut = RE_INLINE_COMMENT.exec(part);
          value = (cut ? part.slice(0, cut.index) : part).replace(RE_TRAILING_WS, '');
          valueEnd = valueStart + value.length;
          if (cut) comment = part.slice(part.indexOf('#', cut.index) + 1);
        }
      } else {
        kind = 'expected-equals';
      }
      if (kind !== 'expected-equals') kind = 'text-after-quote';
      const c = match(RE_COMMENT)[0];
      if (c.length > 0) comment = c.slice(c.indexOf('#') + 1);
      match(RE_END_OF_LINE);
      const entry: EnvEntry = {
        key,
        value,
        quote,
        exported,
        line: lineOf(starts, bindingStart),
        endLine: lineOf(starts, Math.max(valueStart, valueEnd - 1)),
        valueStart,
        valueEnd,
        interpolated: value !== null && quote !== 'single' && RE_INTERPOLATION.test(value),
      };
      if (comment !== undefined) entry.comment = comment;
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof Fail)) throw error;
      const line = lineOf(starts, bindingStart);
      const closedOn = lineOf(starts, Math.max(bindingStart, pos - 1));
      const message =
        kind === 'text-after-quote' && closedOn > line
          ? `the quoted value that opens on this line closes on line ${closedOn} and text follows it, so python-dotenv skips lines ${line}-${closedOn}; close the quote on its own line`
          : PROBLEM_TEXT[kind];
      problems.push({ line, kind, message });
      match(RE_REST_OF_LINE);
    }
  }

  const firstEol = /\r\n|\n|\r/.exec(text);
  const eol = (firstEol?.[0] ?? '\n') as ParsedEnv['eol'];
  const last = text.charCodeAt(text.length - 1);
  const endsWithNewline = last === 10 || last === 13;
  const lineCount = text.length === 0 ? 0 : endsWithNewline ? starts.length - 1 : starts.length;
  return { entries, comments, problems, eol, endsWithNewline, lineCount };
}

/** The effective value of each key (the last assignment wins, as in python-dotenv and npm dotenv). */
export function envValues(parsed: ParsedEnv): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const entry of parsed.entries) values.set(entry.key, entry.value);
  return values;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Refuses a file larger than any real .env file, before its bytes are read. */
export function assertEnvSize(size: number, name: string, maxBytes: number = MAX_ENV_BYTES): void {
  if (size > maxBytes) {
    throw new KeyturnError(
      'unreadable-input',
      `${name} is ${sizeText(size)}; Keyturn reads .env files up to ${sizeText(maxBytes)}. Check that it is the right file.`,
    );
  }
}

/** Bytes to text, refusing what is not a UTF-8 text file of sane size; messages name the file, never its content. */
export function decodeEnvBytes(bytes: Uint8Array, name: string, maxBytes: number = MAX_ENV_BYTES): string {
  assertEnvSize(bytes.length, name, maxBytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new KeyturnError('unreadable-input', `${name} is saved as UTF-16; python-dotenv and npm dotenv read UTF-8. Save it as UTF-8.`);
  }
  if (bytes.includes(0)) {
    throw new KeyturnError(
      'unreadable-input',
      `${name} looks binary (it contains NUL bytes); a .env file is text. Check that it is the right file.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new KeyturnError('unreadable-input', `${name} is not valid UTF-8 text; python-dotenv would fail to read it. Save it as UTF-8.`);
  }
}
