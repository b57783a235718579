// Fuzz tests: random bytes and random dotenv-ish text never crash the parser or the checker, and positions stay in range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dotenvishText } from '../../test/env-corpus.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import { KeyturnError } from '../domain/errors.js';
import { checkEnvText } from '../envcheck/check-file.js';
import { getProfile } from '../envcheck/profiles.js';
import { buildRuleSet } from '../envcheck/rule-set.js';
import { decodeEnvBytes, parseEnv } from './env-file.js';

const ITERATIONS = 2000;
// One seed for the whole file, printed in every test name: KEYTURN_TEST_SEED=<seed> replays a failure exactly.
const random = seededRandom();
const seeded = `(seed ${random.seed})`;
const { rules } = buildRuleSet({ profile: getProfile('resumerag-phase2') });

function assertWellFormed(text: string): void {
  const parsed = parseEnv(text);
  const maxLine = Math.max(1, parsed.lineCount);
  for (const e of parsed.entries) {
    assert.ok(e.line >= 1 && e.line <= e.endLine && e.endLine <= maxLine, `entry lines ${e.line}-${e.endLine} of ${maxLine}`);
    assert.ok(e.valueStart >= 0 && e.valueStart <= e.valueEnd && e.valueEnd <= text.length, 'value offsets');
    if (e.quote === 'none' && e.value !== null) assert.equal(text.slice(e.valueStart, e.valueEnd), e.value);
  }
  for (const p of parsed.problems) assert.ok(p.line >= 1 && p.line <= maxLine, `problem line ${p.line} of ${maxLine}`);
  for (const c of parsed.comments) assert.ok(c.line >= 1 && c.line <= maxLine);
  const { findings } = checkEnvText({ text, role: 'env', rules });
  for (const f of findings) if (f.line !== undefined) assert.ok(f.line >= 1 && f.line <= maxLine, `finding line ${f.line} of ${maxLine}`);
}

test(`${ITERATIONS} random byte strings: decoding refuses or returns text, and parsing never throws ${seeded}`, () => {
  let refused = 0;
  for (let i = 0; i < ITERATIONS; i += 1) {
    const bytes = random.bytes(random.int(400));
    let text: string;
    try {
      text = decodeEnvBytes(bytes, 'fuzz.env');
    } catch (error) {
      assert.ok(error instanceof KeyturnError && error.code === 'unreadable-input', String(error));
      refused += 1;
      // The parser must survive whatever a lenient reader would hand it, too.
      text = Buffer.from(bytes).toString('latin1');
    }
    assertWellFormed(text);
  }
  assert.ok(refused > 0);
});

test(`${ITERATIONS} random printable-ASCII strings rich in quotes, '#', '=' and line breaks never break the parser ${seeded}`, () => {
  const next = random.next;
  const alphabet = 'AB_=#"\'`\\ \t\n\r${}:export';
  for (let i = 0; i < ITERATIONS; i += 1) {
    const n = Math.floor(next() * 120);
    let text = '';
    for (let j = 0; j < n; j += 1) text += alphabet[Math.floor(next() * alphabet.length)];
    assertWellFormed(text);
  }
});

test(`${ITERATIONS} random dotenv-ish files never break the parser or the checker ${seeded}`, () => {
  const next = random.next;
  for (let i = 0; i < ITERATIONS; i += 1) assertWellFormed(dotenvishText(next));
});
