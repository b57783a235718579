// Rotates a batch of Fernet tokens in text without moving anything: one output line (or CSV/TSV record) per input
// line, blank lines and empty or NULL fields kept as they are, every other byte untouched. A database export whose
// rows no longer line up with its ids is silently corrupt, so alignment is the invariant here, not a nicety.
import { KeyturnError } from '../../../shared/domain/errors.js';

export type BatchFormat = 'lines' | 'csv' | 'tsv';

export interface BatchOptions {
  format: BatchFormat;
  /** csv and tsv: the 1-based column that holds the tokens. */
  column?: number;
  /** csv and tsv: the first record is a header and is written unchanged. */
  header?: boolean;
  /** Write a line whose token does not rotate unchanged and go on, instead of refusing the whole batch. */
  keepGoing?: boolean;
}

export interface BatchFailure {
  /** 1-based line of the input where the record starts. */
  line: number;
  message: string;
}

export interface BatchResult {
  /** Bytes as latin1 text: each input byte is one character, so untouched bytes come out exactly as they went in. */
  output: string;
  rotated: number;
  /** Lines and fields left as they were: blank lines, empty fields, `\N` (PostgreSQL's NULL), the header. */
  kept: number;
  failures: BatchFailure[];
}

/** A field's span in the text, and the span of its value inside quotes when it is quoted. */
interface Span {
  start: number;
  end: number;
}

type Rotate = (token: string) => string;

function rotateOne(rotate: Rotate, token: string, line: number, options: BatchOptions, result: BatchResult): string | null {
  try {
    const out = rotate(token);
    result.rotated += 1;
    return out;
  } catch (error) {
    if (!(error instanceof KeyturnError)) throw error;
    if (!options.keepGoing)
      throw new KeyturnError(
        error.code,
        `Line ${line}: ${error.message} Nothing was written; add --keep-going to write such lines unchanged and report them.`,
      );
    result.failures.push({ line, message: error.message });
    return null;
  }
}

/** Splits into lines that keep their own terminator (`\n`, `\r\n`, or none on the last line). */
function* linesOf(text: string): Generator<{ body: string; eol: string }> {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const cr = end > start && text.charCodeAt(end - 1) === 13 ? 1 : 0;
    yield { body: text.slice(start, end - cr), eol: text.slice(end - cr, nl === -1 ? end : nl + 1) };
    start = nl === -1 ? text.length : nl + 1;
  }
}

function rotateLines(text: string, rotate: Rotate, options: BatchOptions, result: BatchResult): void {
  const out: string[] = [];
  let line = 0;
  for (const { body, eol } of linesOf(text)) {
    line += 1;
    const token = body.trim();
    if (token === '') {
      result.kept += 1;
      out.push(body, eol);
      continue;
    }
    const lead = body.slice(0, body.indexOf(token));
    const rotated = rotateOne(rotate, token, line, options, result);
    out.push(rotated === null ? body : `${lead}${rotated}${body.slice(lead.length + token.length)}`, eol);
  }
  result.output = out.join('');
}

/**
 * RFC 4180 records: fields separated by commas, quoted fields may hold commas, doubled quotes and line breaks. Returns
 * each record's fields as spans plus the line it starts on; refuses an unterminated quote.
 */
function* csvRecords(text: string): Generator<{ fields: Span[]; line: number }> {
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const fields: Span[] = [];
    const startLine = line;
    for (;;) {
      const start = i;
      if (text[i] === '"') {
        i += 1;
        for (;;) {
          if (i >= text.length)
            throw new KeyturnError('invalid-input', `Line ${startLine}: a quoted CSV field is never closed; check the export.`);
          if (text[i] === '"') {
            if (text[i + 1] === '"') i += 2;
            else {
              i += 1;
              break;
            }
          } else {
            if (text[i] === '\n') line += 1;
            i += 1;
          }
        }
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) i += 1;
      fields.push({ start, end: i });
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i += 1;
    if (text[i] === '\n') {
      i += 1;
      line += 1;
    }
    yield { fields, line: startLine };
  }
}

/** PostgreSQL COPY text format (and plain TSV): one record per line, fields separated by tabs, `\N` is NULL. */
function* tsvRecords(text: string): Generator<{ fields: Span[]; line: number }> {
  let offset = 0;
  let line = 0;
  for (const { body, eol } of linesOf(text)) {
    line += 1;
    const fields: Span[] = [];
    let start = offset;
    for (let j = 0; j <= body.length; j += 1) {
      if (j === body.length || body[j] === '\t') {
        fields.push({ start, end: offset + j });
        start = offset + j + 1;
      }
    }
    offset += body.length + eol.length;
    yield { fields, line };
  }
}

function rotateColumn(text: string, rotate: Rotate, options: BatchOptions, result: BatchResult): void {
  const column = options.column ?? 0;
  const records = options.format === 'csv' ? csvRecords(text) : tsvRecords(text);
  const out: string[] = [];
  let copied = 0;
  let first = true;
  for (const { fields, line } of records) {
    const isHeader = first && options.header === true;
    first = false;
    const field = fields[column - 1];
    const blank = fields.length === 1 && fields[0]!.start === fields[0]!.end;
    if (isHeader || blank) {
      result.kept += 1;
      continue;
    }
    if (!field) {
      throw new KeyturnError(
        'invalid-input',
        `Line ${line} has ${fields.length} column${fields.length === 1 ? '' : 's'}, so there is no column ${column}; check --column and --format.`,
      );
    }
    const raw = text.slice(field.start, field.end);
    const quoted = options.format === 'csv' && raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2;
    const value = quoted ? raw.slice(1, -1) : raw;
    if (value.trim() === '' || value === '\\N') {
      result.kept += 1;
      continue;
    }
    const rotated = rotateOne(rotate, value.trim(), line, options, result);
    if (rotated === null) continue;
    out.push(text.slice(copied, field.start), quoted ? `"${rotated}"` : rotated);
    copied = field.end;
  }
  out.push(text.slice(copied));
  result.output = out.join('');
}

/** Rotates every token of the batch with `rotate`; throws on the first bad token unless `keepGoing`. */
export function rotateBatch(text: string, rotate: Rotate, options: BatchOptions): BatchResult {
  const result: BatchResult = { output: '', rotated: 0, kept: 0, failures: [] };
  if (options.format === 'lines') rotateLines(text, rotate, options, result);
  else rotateColumn(text, rotate, options, result);
  if (result.rotated === 0 && result.failures.length === 0)
    throw new KeyturnError(
      'invalid-input',
      'No token on standard input; pipe the tokens in, one per line (or one per record with --column).',
    );
  return result;
}
