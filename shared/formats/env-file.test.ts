import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from '../domain/errors.js';
import { decodeEnvBytes, envValues, parseEnv } from './env-file.js';

const values = (text: string): Record<string, string | null> => Object.fromEntries(envValues(parseEnv(text)));

test('plain, exported, quoted and commented assignments read as python-dotenv reads them', () => {
  const text = [
    '# a comment',
    'A=1',
    'export B=two',
    "C='single # not a comment'",
    'D="double # not a comment"',
    'E=plain # trailing comment',
    'F=a#b',
    'G=',
    'H=  spaced  ',
    "I='it\\'s'",
    'J="a\\tb\\\\c\\"d"',
    "'QUOTED_KEY'=k",
    'K = v',
    '',
  ].join('\n');
  assert.deepEqual(values(text), {
    A: '1',
    B: 'two',
    C: 'single # not a comment',
    D: 'double # not a comment',
    E: 'plain',
    F: 'a#b',
    G: '',
    H: 'spaced',
    I: "it's",
    J: 'a\tb\\c"d',
    QUOTED_KEY: 'k',
    K: 'v',
  });
  const parsed = parseEnv(text);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.comments, [{ line: 1, text: ' a comment' }]);
  assert.equal(parsed.entries.find((e) => e.key === 'B')?.exported, true);
  assert.equal(parsed.entries.find((e) => e.key === 'E')?.comment, ' trailing comment');
});

test('multi-line double-quoted values keep their newlines and report start and end lines', () => {
  const text = 'FIRST=1\nPEM="-----BEGIN KEY-----\nabc\n-----END KEY-----"\nLAST=2\n';
  const parsed = parseEnv(text);
  const pem = parsed.entries.find((e) => e.key === 'PEM')!;
  assert.equal(pem.value, '-----BEGIN KEY-----\nabc\n-----END KEY-----');
  assert.equal(pem.line, 2);
  assert.equal(pem.endLine, 4);
  assert.equal(parsed.entries.find((e) => e.key === 'LAST')?.line, 5);
  assert.equal(text.slice(pem.valueStart, pem.valueEnd), '"-----BEGIN KEY-----\nabc\n-----END KEY-----"');
});

test('CRLF and lone CR files keep line numbers and report their line ending', () => {
  const crlf = parseEnv('A=1\r\nB="x"\r\n\r\nC=3\r\n');
  assert.equal(crlf.eol, '\r\n');
  assert.deepEqual(
    crlf.entries.map((e) => [e.key, e.value, e.line]),
    [
      ['A', '1', 1],
      ['B', 'x', 2],
      ['C', '3', 4],
    ],
  );
  assert.equal(crlf.lineCount, 4);
  const cr = parseEnv('A=1\rB=2');
  assert.equal(cr.eol, '\r');
  assert.deepEqual(
    cr.entries.map((e) => [e.key, e.line]),
    [
      ['A', 1],
      ['B', 2],
    ],
  );
  assert.equal(cr.endsWithNewline, false);
});

test('a bare name has no value (python-dotenv yields None) and offsets point after the name', () => {
  const parsed = parseEnv('BARE\nBARE2 # note\n');
  assert.deepEqual(
    parsed.entries.map((e) => [e.key, e.value, e.valueStart, e.valueEnd]),
    [
      ['BARE', null, 4, 4],
      ['BARE2', null, 10, 10],
    ],
  );
});

test('syntax problems become findings on their line, and parsing continues after them', () => {
  const text = 'OK=1\nAFTER="x" zqjunk\nBROKEN="zqopen\nZQNAME zqvalue\n=zqorphan\nLAST=2\n';
  const parsed = parseEnv(text);
  assert.deepEqual(
    parsed.problems.map((p) => [p.line, p.kind]),
    [
      [2, 'text-after-quote'],
      [3, 'unclosed-quote'],
      [4, 'expected-equals'],
      [5, 'expected-name'],
    ],
  );
  assert.deepEqual(values(text), { OK: '1', LAST: '2' });
  // The line may hold a secret: messages never quote it.
  for (const p of parsed.problems) assert.doesNotMatch(p.message, /zq/i);
});

test('a quote that closes lines later swallows them exactly as python-dotenv does, and says so', () => {
  const parsed = parseEnv('A="open\nB=1\nC="x"\nD=4\n');
  assert.deepEqual(values('A="open\nB=1\nC="x"\nD=4\n'), { D: '4' });
  assert.equal(parsed.problems[0]?.line, 1);
  assert.match(parsed.problems[0]!.message, /closes on line 3/);
});

test('a byte-order mark is reported, since python-dotenv then reads a different first name', () => {
  const parsed = parseEnv('\ufeffSECRET_KEY=x\n');
  assert.equal(parsed.problems[0]?.kind, 'byte-order-mark');
  assert.equal(parsed.entries[0]?.key, '\ufeffSECRET_KEY');
});

test('interpolation is flagged where python-dotenv would expand it, not in single quotes', () => {
  const parsed = parseEnv('A=${HOME}/x\nB="${HOME}"\nC=\'${HOME}\'\nD=$HOME\n');
  assert.deepEqual(
    parsed.entries.map((e) => [e.key, e.interpolated]),
    [
      ['A', true],
      ['B', true],
      ['C', false],
      ['D', false],
    ],
  );
});

test('decodeEnvBytes refuses binary, UTF-16, invalid UTF-8 and oversized input with a sentence naming the file', () => {
  const refuse = (bytes: Uint8Array, pattern: RegExp, max?: number): void => {
    assert.throws(
      () => decodeEnvBytes(bytes, '.env.prod', max),
      (e: unknown) =>
        e instanceof KeyturnError && e.code === 'unreadable-input' && pattern.test(e.message) && e.message.includes('.env.prod'),
    );
  };
  refuse(new Uint8Array([0x41, 0x3d, 0x00, 0x42]), /binary/);
  refuse(new Uint8Array([0xff, 0xfe, 0x41, 0x00]), /UTF-16/);
  refuse(new Uint8Array([0x41, 0x3d, 0xc3, 0x28]), /not valid UTF-8/);
  refuse(new TextEncoder().encode('A=1\n'.repeat(100)), /up to/, 64);
  assert.equal(decodeEnvBytes(new TextEncoder().encode('A=é\n'), 'x'), 'A=é\n');
  // The BOM is kept so the parser can report it.
  assert.equal(decodeEnvBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), 'x'), '\ufeffA');
});
