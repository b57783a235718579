// The `fernet-key` type accepts a value exactly when Python's cryptography `Fernet(key)` does (Debian python3-cryptography).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SYSTEM_PYTHON as PYTHON } from '../../test/support/python.js';
import { checkValue } from './value-types.js';

const b64url = (bytes: Buffer, pad = true): string => {
  const s = bytes.toString('base64url');
  return pad ? s + '='.repeat((4 - (s.length % 4)) % 4) : s;
};
const b64std = (bytes: Buffer): string => bytes.toString('base64');

/** A 32-byte key whose standard base64 text contains '+' or '/', so the alphabet question is really asked. */
function keyWithPlusSlash(): Buffer {
  for (;;) {
    const k = randomBytes(32);
    if (/[+/]/.test(b64std(k))) return k;
  }
}

function candidates(): string[] {
  const out: string[] = [];
  const valid = (): string => b64url(randomBytes(32));
  for (let i = 0; i < 30; i += 1) out.push(valid());
  for (let i = 0; i < 15; i += 1) out.push(b64url(randomBytes(32), false)); // unpadded
  for (let i = 0; i < 15; i += 1) out.push(b64std(keyWithPlusSlash())); // '+/' alphabet
  for (let i = 0; i < 10; i += 1) {
    const s = b64std(keyWithPlusSlash()); // mixed alphabets in one key
    out.push(s.replace('+', '-'));
  }
  const spaces = [' ', '\t', '\n', '\r\n', '  ', '\u00a0', '\u3000'];
  for (let i = 0; i < 28; i += 1) {
    const k = valid();
    const ws = spaces[i % spaces.length]!;
    const at = [0, 10, 43, 44][i % 4]!;
    out.push(k.slice(0, at) + ws + k.slice(at));
  }
  for (const q of ['"', "'", '`']) for (let i = 0; i < 4; i += 1) out.push(`${q}${valid()}${q}`);
  for (let i = 0; i < 15; i += 1) out.push(b64url(randomBytes(31)));
  for (let i = 0; i < 15; i += 1) out.push(b64url(randomBytes(33)));
  for (let i = 0; i < 5; i += 1) out.push(b64url(randomBytes(16)), b64url(randomBytes(64)));
  const nonAscii = ['é', 'ü', '🔑', 'А', '０', 'ß'];
  for (let i = 0; i < 12; i += 1) {
    const k = valid();
    const at = (i * 7) % 44;
    out.push(k.slice(0, at) + nonAscii[i % nonAscii.length]! + k.slice(at + 1));
  }
  for (const bad of ['!', '*', '.', '#', '$', ',', '%', '~']) {
    const k = valid();
    out.push(k.slice(0, 20) + bad + k.slice(21), k.slice(0, 20) + bad + k.slice(20));
  }
  for (let i = 0; i < 6; i += 1) {
    const k = valid();
    out.push(`${k}=`, `${k}==`, k.replace('=', '') + '==', `=${k}`, k.slice(0, 20) + '=' + k.slice(20));
  }
  out.push(
    '',
    '=',
    '====',
    'A',
    'AAAA',
    'A'.repeat(43) + '=',
    'A'.repeat(44),
    'A'.repeat(44) + '=',
    '-'.repeat(43) + '=',
    '_'.repeat(43) + '=',
  );
  out.push('AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=', 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', '<your-generated-fernet-key>');
  return out;
}

test("fernet-key verdicts equal Python's Fernet(key) over 200+ candidates, asked once over stdin", () => {
  const list = candidates();
  assert.ok(list.length >= 200, `${list.length} candidates`);
  const script = [
    'import json, sys',
    'from cryptography.fernet import Fernet',
    'def ok(k):',
    '    try:',
    '        Fernet(k)',
    '        return True',
    '    except Exception:',
    '        return False',
    'json.dump([ok(k) for k in json.load(sys.stdin)], sys.stdout)',
  ].join('\n');
  const verdicts = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(list) }).toString()) as boolean[];
  assert.equal(verdicts.length, list.length);
  let accepted = 0;
  list.forEach((key, i) => {
    const problem = checkValue({ name: 'PII_ENC_KEY', type: 'fernet-key' }, key);
    // A weak key is still a key Fernet() accepts; only invalid-format means "Python would refuse it".
    const ours = problem === null || problem.code === 'weak-value';
    assert.equal(ours, verdicts[i], `candidate #${i} (${key.length} chars): Python says ${verdicts[i]}`);
    if (problem) assert.ok(!problem.message.includes(key) || key.length < 4, 'the message must not quote the key');
    if (verdicts[i]) accepted += 1;
  });
  // Both verdicts must be well represented.
  assert.ok(accepted >= 60 && list.length - accepted >= 60, `${accepted} accepted of ${list.length}`);
});

test('fernet-keys (MultiFernet lists) accept exactly the comma lists whose every item Fernet() accepts', () => {
  const a = b64url(randomBytes(32));
  const b = b64url(randomBytes(32));
  const ok = (v: string): boolean => checkValue({ name: 'KEYS', type: 'fernet-keys' }, v) === null;
  assert.equal(ok(`${a},${b}`), true);
  assert.equal(ok(a), true);
  assert.equal(ok(`${a},`), false);
  assert.equal(ok(`${a},,${b}`), false);
  assert.equal(ok(`${a},${b64url(randomBytes(31))}`), false);
});
