// Differential tests of the .env parser: Debian's python-dotenv (the reference), and npm dotenv where the two agree.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { SYSTEM_PYTHON as PYTHON } from '../../test/support/python.js';
import { dotenvishText, rng } from '../../test/env-corpus.js';
import { checkEnvText } from '../envcheck/check-file.js';
import { buildRuleSet } from '../envcheck/rule-set.js';
import { envValues, parseEnv } from './env-file.js';
import { parseLikeNpmDotenv } from './env-file-npm.js';

const dotenv = createRequire(import.meta.url)('dotenv') as { parse: (src: string) => Record<string, string> };

const HAND_WRITTEN = [
  'A=1\n# c\nexport B="x\\ny" # cm\nC=a#b\nD= #foo\nE=\'q\\\'r\'\nF="unterminated\nG=`bt`\nH: v\nI\nJ="m\nl"\r\nK=  v  # t\n=bad\n\'QK\'=1\n',
  'PEM="-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----"\nNEXT=1\n',
  'A="a\\\\"\nB=2\n',
  'A="x\\"\nB="y"\n',
  'export   SPACED=1\nexport=2\nexportX=3\n',
  '\ufeffFIRST=1\n',
  'EMPTY=\nEMPTY_DQ=""\nEMPTY_SQ=\'\'\n',
  'TABS=\tvalue\t\t# c\nNBSP=\u00a0x\u00a0\n',
  'CRONLY=1\rNEXT=2\r',
  'U=ünïcödé\nEMOJI="🔑"\n',
];

/** Runs python-dotenv's parser once over every text (JSON on stdin), reading each as a file is read (universal newlines). */
function pythonParse(texts: string[]): { key: string | null; value: string | null; error: boolean }[][] {
  const script = [
    'import io, json, sys',
    'from dotenv.parser import parse_stream',
    'texts = json.load(sys.stdin)',
    'out = [[{"key": b.key, "value": b.value, "error": b.error} for b in parse_stream(io.StringIO(t, newline=None))] for t in texts]',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const stdout = execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(texts), maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  return JSON.parse(stdout) as { key: string | null; value: string | null; error: boolean }[][];
}

function corpus(generatedCount = 600): string[] {
  const next = rng(0x5eed);
  const generated = Array.from({ length: generatedCount }, () => dotenvishText(next));
  return [...HAND_WRITTEN, ...generated];
}

test('python-dotenv is installed where the tests run (Debian package python3-dotenv)', () => {
  let version = '';
  try {
    version = execFileSync(PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("python-dotenv"))'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    assert.fail(`${PYTHON} has no python-dotenv: install the Debian package python3-dotenv (the parser's reference).`);
  }
  assert.match(version, /^\d+\.\d+/);
});

test('every binding, value and skipped statement matches python-dotenv over 610 texts', () => {
  const texts = corpus();
  const python = pythonParse(texts);
  let compared = 0;
  texts.forEach((text, i) => {
    const parsed = parseEnv(text);
    const ours = parsed.entries.map((e) => [e.key, e.value]);
    const theirs = python[i]!.filter((b) => !b.error && b.key !== null).map((b) => [b.key, b.value]);
    assert.deepEqual(ours, theirs, `text #${i} ${JSON.stringify(text)}`);
    const theirErrors = python[i]!.filter((b) => b.error).length;
    const ourErrors = parsed.problems.filter((p) => p.kind !== 'byte-order-mark').length;
    assert.equal(ourErrors, theirErrors, `errors in text #${i} ${JSON.stringify(text)}`);
    compared += theirs.length;
  });
  assert.ok(compared > 1500, `compared ${compared} bindings`);
});

test("the npm reading used for ambiguous-syntax is exactly npm dotenv's parse", () => {
  for (const text of corpus()) assert.deepEqual(Object.fromEntries(parseLikeNpmDotenv(text)!), dotenv.parse(text), JSON.stringify(text));
});

test('where the checker reports no syntax, ambiguity or not-a-variable finding, npm dotenv reads the same values', () => {
  const { rules } = buildRuleSet({});
  let agreed = 0;
  let flagged = 0;
  // Most generated texts hold some line the checker flags, so this claim reads a larger corpus to see enough of both.
  for (const text of corpus(1500)) {
    const { findings, parsed } = checkEnvText({ text, role: 'env', rules });
    // A line whose name is not a variable name is reported as such and not compared (nothing of it may be shown).
    if (findings.some((f) => f.code === 'syntax-error' || f.code === 'ambiguous-syntax' || f.code === 'not-a-variable')) {
      flagged += 1;
      continue;
    }
    const ours = Object.fromEntries([...envValues(parsed)].filter(([, v]) => v !== null));
    assert.deepEqual(dotenv.parse(text), ours, JSON.stringify(text));
    agreed += 1;
  }
  // Both halves must be exercised for the claim to mean anything.
  assert.ok(agreed >= 60 && flagged >= 60, `agreed ${agreed}, flagged ${flagged}`);
});
