// Interoperability with Python's `cryptography.fernet` (/usr/bin/python3, Debian python3-cryptography), both ways.
// Each test batches all its cases through one Python process; keys travel over stdin.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { requirePythonCryptography, runPython } from '../../../test/support/python.js';
import { mutateOnce, seededRandom, type SeededRandom } from '../../../test/support/seeded-random.js';
import { Fernet, MultiFernet, generateFernetKey } from './fernet.js';

before(() => requirePythonCryptography());

const isInvalidToken = (e: unknown): boolean => e instanceof KeyturnError && e.code === 'invalid-token';

/** Plaintext sizes from 0 bytes to 64 KiB: every block boundary that matters plus random sizes. */
function sizes(rng: SeededRandom): number[] {
  const fixed = [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49, 100, 255, 256, 1000, 1024, 1025, 4095, 4096, 16383, 65535, 65536];
  return [...fixed, ...Array.from({ length: 30 }, () => rng.int(65537))];
}

test('Node encrypts, Python decrypts: random binary plaintexts from 0 B to 64 KiB, timestamps agree', async () => {
  const rng = seededRandom();
  const key = generateFernetKey();
  const f = new Fernet(key);
  const plaintexts = sizes(rng).map((n) => rng.bytes(n));
  const now = Math.floor(Date.now() / 1000);
  const tokens = plaintexts.map((p) => f.encrypt(p, { now }));
  const answer = await runPython<{ pt: string; ts: number }[]>({
    script: `
from cryptography.fernet import Fernet
f = Fernet(data['key'])
emit([{'pt': base64.b64encode(f.decrypt(t, ttl=3600)).decode(), 'ts': f.extract_timestamp(t)} for t in data['tokens']])
`,
    input: { key, tokens },
  });
  assert.equal(answer.length, plaintexts.length);
  for (const [i, p] of plaintexts.entries()) {
    assert.ok(Buffer.from(answer[i]!.pt, 'base64').equals(p), `size ${p.length} (seed ${rng.seed})`);
    assert.equal(answer[i]!.ts, now);
  }
});

test('Python encrypts (with its own generated key), Node decrypts: 0 B to 64 KiB', async () => {
  const rng = seededRandom();
  const answer = await runPython<{ key: string; cases: { pt: string; token: string; ts: number }[] }>({
    script: `
import os
from cryptography.fernet import Fernet
key = Fernet.generate_key()
f = Fernet(key)
cases = []
for n in data:
    pt = os.urandom(n)
    token = f.encrypt(pt)
    cases.append({'pt': base64.b64encode(pt).decode(), 'token': token.decode(), 'ts': f.extract_timestamp(token)})
emit({'key': key.decode(), 'cases': cases})
`,
    input: sizes(rng),
  });
  assert.match(answer.key, /^[A-Za-z0-9_-]{43}=$/, 'Python writes keys the way generateFernetKey does');
  const f = new Fernet(answer.key);
  for (const c of answer.cases) {
    assert.deepEqual(f.decrypt(c.token, { ttl: 3600 }), Buffer.from(c.pt, 'base64'));
    assert.equal(f.extractTimestamp(c.token), c.ts);
    // Same plaintext, time and IV give Python's token character for character, '=' padding included.
    const iv = Buffer.from(c.token, 'base64url').subarray(9, 25);
    assert.equal(f.encrypt(Buffer.from(c.pt, 'base64'), { now: c.ts, iv }), c.token);
  }
});

test('MultiFernet.rotate in Python on Node tokens keeps the original timestamp; Node reads the result', async () => {
  const rng = seededRandom();
  const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
  const plaintexts = [0, 1, 16, 100, 1024, 5000, 65536].map((n) => rng.bytes(n));
  const legacyTime = 1_500_000_000;
  const tokens = plaintexts.map((p, i) => new Fernet(oldKey).encrypt(p, { now: legacyTime + i }));
  const rotated = await runPython<string[]>({
    script: `
from cryptography.fernet import Fernet, MultiFernet
m = MultiFernet([Fernet(data['new']), Fernet(data['old'])])
emit([m.rotate(t).decode() for t in data['tokens']])
`,
    input: { old: oldKey, new: newKey, tokens },
  });
  const newF = new Fernet(newKey);
  for (const [i, token] of rotated.entries()) {
    assert.deepEqual(newF.decrypt(token), plaintexts[i]);
    assert.equal(newF.extractTimestamp(token), legacyTime + i);
    assert.throws(() => new Fernet(oldKey).decrypt(token), isInvalidToken);
  }
});

test('MultiFernet.rotate in Node on Python tokens keeps the original timestamp; Python reads the result', async () => {
  const rng = seededRandom();
  const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
  const legacyTime = 1_400_000_000;
  const made = await runPython<{ token: string; pt: string }[]>({
    script: `
import os
from cryptography.fernet import Fernet
f = Fernet(data['old'])
emit([{'token': f.encrypt_at_time(pt, data['at'] + i).decode(), 'pt': base64.b64encode(pt).decode()}
      for i, pt in enumerate(os.urandom(n) for n in data['sizes'])])
`,
    input: { old: oldKey, at: legacyTime, sizes: [0, 1, 16, 100, 1024, 5000, 65536, rng.int(65537)] },
  });
  const multi = new MultiFernet([new Fernet(newKey), new Fernet(oldKey)]);
  const rotated = made.map((m) => multi.rotate(m.token));
  const check = await runPython<{ pt: string; ts: number; oldRefused: boolean }[]>({
    script: `
from cryptography.fernet import Fernet, InvalidToken
new, old = Fernet(data['new']), Fernet(data['old'])
out = []
for t in data['tokens']:
    try:
        old.decrypt(t)
        refused = False
    except InvalidToken:
        refused = True
    out.append({'pt': base64.b64encode(new.decrypt(t)).decode(), 'ts': new.extract_timestamp(t), 'oldRefused': refused})
emit(out)
`,
    input: { new: newKey, old: oldKey, tokens: rotated },
  });
  for (const [i, c] of check.entries()) {
    assert.equal(c.pt, made[i]!.pt);
    assert.equal(c.ts, legacyTime + i);
    assert.equal(c.oldRefused, true);
  }
});

/** Variants of valid tokens: unpadded, re-padded, other alphabet, whitespace, junk, truncations, random edits. */
function tokenCandidates(rng: SeededRandom, tokens: string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const bare = t.replace(/=+$/, '');
    out.push(
      t,
      bare,
      `${bare}=`,
      `${t}=`,
      `${t}\n`,
      `  ${t}\r\n`,
      `${t.slice(0, 30)}\n${t.slice(30)}`,
      t.replace(/-/g, '+').replace(/_/g, '/'),
      `${t}garbage`,
      `${t}é`,
      `"${t}"`,
      t.slice(0, -4),
      t.slice(4),
      `${t.slice(0, 12)}=${t.slice(12)}`,
    );
  }
  const pool = ['=', ' ', '-', '_', '+', '/', '\n', '%', 'A', 'é'];
  for (let i = 0; i < 250; i += 1) {
    out.push(mutateOnce(rng, rng.pick(tokens), pool));
  }
  return out;
}

test('token text: unpadded tokens and keys are refused, and every variant is accepted exactly when Python accepts it', async () => {
  const rng = seededRandom();
  const key = generateFernetKey();
  const f = new Fernet(key);
  // 0..47-byte plaintexts give tokens with two, one and no '=' (token length 73 + 16k bytes).
  const tokens = [0, 16, 32, 100].map((n) => f.encrypt(rng.bytes(n)));
  assert.deepEqual(new Set(tokens.map((t) => t.length - t.replace(/=+$/, '').length)), new Set([0, 1, 2]));
  const candidates = tokenCandidates(rng, tokens);
  const answer = await runPython<{ tokens: (string | null)[]; unpaddedKey: boolean }>({
    script: `
from cryptography.fernet import Fernet, InvalidToken
f = Fernet(data['key'])
out = []
for t in data['tokens']:
    try:
        out.append(base64.b64encode(f.decrypt(t)).decode())
    except (InvalidToken, ValueError):
        out.append(None)
try:
    Fernet(data['key'].rstrip('='))
    unpadded = True
except ValueError:
    unpadded = False
emit({'tokens': out, 'unpaddedKey': unpadded})
`,
    input: { key, tokens: candidates },
  });
  assert.equal(answer.unpaddedKey, false);
  assert.throws(
    () => new Fernet(key.replace(/=+$/, '')),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-key',
  );
  let accepted = 0;
  for (const [i, candidate] of candidates.entries()) {
    let ours: string | null;
    try {
      ours = f.decrypt(candidate).toString('base64');
    } catch (error) {
      assert.ok(isInvalidToken(error), 'every refusal is the one invalid-token error');
      ours = null;
    }
    assert.equal(ours, answer.tokens[i], `candidate ${JSON.stringify(candidate)} (seed ${rng.seed})`);
    if (ours !== null) accepted += 1;
  }
  for (const t of tokens.filter((t) => t.endsWith('='))) assert.equal(answer.tokens[candidates.indexOf(t.replace(/=+$/, ''))], null);
  assert.ok(accepted > 30 && candidates.length - accepted > 30, `accepted ${accepted} of ${candidates.length}`);
});
