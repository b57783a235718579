// checkFernetKey must accept exactly the keys Python's `Fernet(key)` accepts: compared candidate by candidate against
// /usr/bin/python3 with Debian's python3-cryptography, for str and for bytes.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { requirePythonCryptography, runPython } from '../../test/support/python.js';
import { mutateOnce, seededRandom, type SeededRandom } from '../../test/support/seeded-random.js';
import { encodeBase64 } from './base64.js';
import { checkFernetKey, decodeFernetKeyText, formatFernetKey } from './fernet-format.js';

before(() => requirePythonCryptography());

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function keyCandidates(rng: SeededRandom): string[] {
  const keys = Array.from({ length: 6 }, () => formatFernetKey(rng.bytes(32)));
  // Make sure both url-safe characters occur somewhere, so the alphabet cases below mean something.
  keys.push(formatFernetKey(Buffer.alloc(32, 0xfb)), formatFernetKey(Buffer.alloc(32, 0xff)));
  const out: string[] = ['', '=', '====', 'A'.repeat(45), 'A'.repeat(43), 'A'.repeat(44), 'A'.repeat(42) + '==', 'A'.repeat(43) + '=='];
  for (const key of keys) {
    const unpadded = key.slice(0, -1);
    out.push(
      key,
      unpadded,
      `${key}=`,
      key.replace(/-/g, '+').replace(/_/g, '/'),
      `${key} `,
      ` ${key}`,
      `${key}\n`,
      `${key.slice(0, 20)}\n${key.slice(20)}`,
      `${key.slice(0, 10)}\t${key.slice(10)}`,
      `"${key}"`,
      `'${key}'`,
      `${unpadded}"`,
      `${key}AAAA`,
      `${key}é`,
      `${key.slice(0, 5)}é${key.slice(5)}`,
      `${key.slice(0, 10)}=${key.slice(10)}`,
      `${key.slice(0, 42)}=${key.slice(42)}`,
      `${key.slice(0, 2)}%${key.slice(2)}`,
      key.slice(1),
      key.slice(0, -2),
      `A${key}`,
      `${unpadded}==`,
      encodeBase64(rng.bytes(31), { url: true, pad: true }),
      encodeBase64(rng.bytes(33), { url: true, pad: true }),
      encodeBase64(rng.bytes(32), { url: false, pad: true }),
      encodeBase64(rng.bytes(32), { url: true, pad: false }),
    );
  }
  const pool = ['=', ' ', '-', '_', '+', '/', '\n', 'é', '%', 'A', '"', '€', '\0'];
  for (let i = 0; i < 400; i += 1) {
    let s = rng.pick(keys);
    const edits = 1 + rng.int(3);
    for (let e = 0; e < edits; e += 1) s = mutateOnce(rng, s, pool);
    out.push(s);
  }
  return out;
}

const PYTHON_KEYS = `
from cryptography.fernet import Fernet
out = []
for c in data:
    res = {}
    for form, value in (('str', c), ('bytes', c.encode('utf-8'))):
        try:
            Fernet(value)
            res[form] = base64.urlsafe_b64decode(value).hex()
        except ValueError:
            res[form] = None
    out.append(res)
emit(out)
`;

test('checkFernetKey and decodeFernetKeyText agree with Python Fernet(key) for str and bytes candidates', async () => {
  const rng = seededRandom();
  const candidates = keyCandidates(rng);
  const python = await runPython<{ str: string | null; bytes: string | null }[]>({ script: PYTHON_KEYS, input: candidates });
  let accepted = 0;
  for (const [i, candidate] of candidates.entries()) {
    const expected = python[i]!;
    const label = `candidate ${JSON.stringify(candidate)} (seed ${rng.seed})`;
    const fromStr = decodeFernetKeyText(candidate);
    assert.equal(fromStr.ok ? hex(fromStr.key) : null, expected.str, `str ${label}`);
    assert.equal(checkFernetKey(candidate).ok, expected.str !== null, `check ${label}`);
    const fromBytes = decodeFernetKeyText(new TextEncoder().encode(candidate));
    assert.equal(fromBytes.ok ? hex(fromBytes.key) : null, expected.bytes, `bytes ${label}`);
    if (expected.str !== null) accepted += 1;
    const check = checkFernetKey(candidate);
    if (!check.ok && candidate.length >= 8) assert.ok(!check.reason.includes(candidate), 'a refusal never quotes the key');
  }
  // Both outcomes must be well represented, or the comparison proves little.
  assert.ok(accepted > 50 && candidates.length - accepted > 50, `accepted ${accepted} of ${candidates.length}`);
});
