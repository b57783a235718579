// Deterministic generators of .env-like text for the parser's differential and fuzz tests (seeded, so failures replay).
import { seededRandom } from './support/seeded-random.js';

/** A seeded stream of floats in [0, 1): the one test PRNG (test/support/seeded-random.ts). */
export function rng(seed: number): () => number {
  return seededRandom(seed).next;
}

export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

const KEYS = ['A', 'B_1', 'DATABASE_URL', 'k.e-y', 'PII_ENC_KEY', 'x', 'KEY!', 'über', 'SECRET_KEY', 'Z9'];
const PLAIN = [
  'value',
  'a#b',
  'a #b',
  'with space',
  '  padded  ',
  '${HOME}/x',
  'postgresql://u:p@h/db',
  'é',
  '=eq',
  'tab\there',
  '`bt`',
  "it's",
  'a"b',
  '\\n',
  '',
];
const DQ = [
  '"x"',
  '"a\\nb"',
  '"a\\tb"',
  '"q\\"q"',
  '"back\\\\slash"',
  '"multi\nline"',
  '"# not comment"',
  '"unclosed',
  '"x" junk',
  '"x" # ok',
  '""',
  '"\\a\\v\\f\\b"',
  '"$X"',
];
const SQ = ["'x'", "'a\\'b'", "'multi\nline'", "'un", "'x' # c", "''", "'back\\\\'", "'a\\nb'"];
const BT = ['`x`', '`a#b`', '`multi\nline`', '`un'];
const EOL = ['\n', '\n', '\n', '\r\n', '\r'];

/** One line (or a few, for multi-line values) of dotenv-ish text: mostly valid, often tricky, sometimes broken. */
function line(next: () => number): string {
  const r = next();
  if (r < 0.08) return pick(next, ['# comment', '   # indented comment', '', '   ', '#']);
  if (r < 0.12) return pick(next, ['NAME value', ': x', '=orphan', 'KEY: value', 'BARE', 'export BARE', 'export', '"quoted"=x']);
  const exported = next() < 0.15 ? pick(next, ['export ', 'export\t', 'export  ']) : '';
  const key = next() < 0.1 ? `'${pick(next, KEYS)}'` : pick(next, KEYS);
  const eq = pick(next, ['=', '=', '=', ' = ', '=\t', ' =']);
  const v = next();
  const value = v < 0.45 ? pick(next, PLAIN) : v < 0.75 ? pick(next, DQ) : v < 0.92 ? pick(next, SQ) : pick(next, BT);
  const tail = next() < 0.15 ? pick(next, [' # c', '  #c', '#c', ' ']) : '';
  return `${exported}${key}${eq}${value}${tail}`;
}

export function dotenvishText(next: () => number): string {
  const lines = 1 + Math.floor(next() * 8);
  let out = next() < 0.03 ? '\ufeff' : '';
  for (let i = 0; i < lines; i += 1) out += line(next) + (i < lines - 1 || next() < 0.7 ? pick(next, EOL) : '');
  return out;
}
