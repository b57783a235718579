// Recovery never depends on Keyturn alone: a Python program written from the README's description of the share format
// (base32 groups with their checks, the byte layout and checksum, Lagrange interpolation in GF(2^8), Bech32) rebuilds the
// age identity from three typed shares, and Debian's `age` decrypts the bundle with it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runPython } from '../../../test/support/python.js';
import { encryptArmored } from './age-crypto.js';
import { newShareSet } from './seal-set.js';
import { encodeShare, shareLines } from './share-codec.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-recovery-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Only the Python standard library; every rule below is one the README states. */
const RECOVER = String.raw`
import hashlib
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
def value(c):
    c = c.upper()
    c = {"O": "0", "I": "1", "L": "1"}.get(c, c)
    return ALPHABET.index(c)

def luhn32(position, group):
    values = [position % 32] + [value(c) for c in group]
    factor, total = 2, 0
    for v in reversed(values):
        a = factor * v
        total += a // 32 + a % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]

def share_bytes(text):
    lines = [l.split(None, 1)[1] if l.strip()[:2].strip().isdigit() else l for l in text.strip().splitlines()]
    chars = "".join("".join(lines).replace("-", "").split())
    assert len(chars) == 96, len(chars)
    data = ""
    for g in range(16):
        group, check = chars[g * 6 : g * 6 + 5], chars[g * 6 + 5]
        assert value(luhn32(g, group)) == value(check), "group %d" % (g + 1)
        data += group
    bits = "".join(format(value(c), "05b") for c in data)
    raw = bytes(int(bits[i : i + 8], 2) for i in range(0, 400, 8))
    assert raw[0] == 1
    assert hashlib.sha256(b"keyturn-escrow-share-v1\0" + raw[:43]).digest()[:7] == raw[43:50], "checksum"
    return raw[10:43]

def gf_mul(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        a = (a << 1) ^ (0x11B if a & 0x80 else 0)
        b >>= 1
    return p

def gf_inv(a):
    r = 1
    for _ in range(254):
        r = gf_mul(r, a)
    return r

def combine(shares):
    xs = [s[32] for s in shares]
    out = []
    for i in range(32):
        acc = 0
        for j, s in enumerate(shares):
            basis = 1
            for m, xm in enumerate(xs):
                if m != j:
                    basis = gf_mul(basis, gf_mul(xm, gf_inv(xs[j] ^ xm)))
            acc ^= gf_mul(s[i], basis)
        out.append(acc)
    return bytes(out)

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
def polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk

def bech32(hrp, data):
    acc, bits, words = 0, 0, []
    for b in data:
        acc = (acc << 8) | b
        bits += 8
        while bits >= 5:
            bits -= 5
            words.append((acc >> bits) & 31)
    if bits:
        words.append((acc << (5 - bits)) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    mod = polymod(expanded + words + [0] * 6) ^ 1
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[w] for w in words + checksum)

secret = combine([share_bytes(t) for t in data["shares"]])
emit(bech32("age-secret-key-", secret).upper())
`;

test("a Python program written from the README rebuilds the identity from three typed shares, and Debian's age opens the bundle", async () => {
  const custodians = ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name }));
  const set = await newShareSet({ bundleId: 'K3M9QX2A', set: 1, threshold: 3, custodians, created: new Date() });
  const bundle = join(dir, 'bundle.age');
  writeFileSync(bundle, await encryptArmored([set.record.recipient], '{"keys":[{"name":"pii-enc-key","value":"canary"}]}'));
  // As the custodians would type them from their sheets: numbered lines of four groups, one in lower case.
  const typed = [0, 2, 4].map((i) => shareLines(encodeShare(set.shares[i]!)).join('\n'));
  typed[1] = typed[1]!.toLowerCase();
  const identity = await runPython<string>({ script: RECOVER, input: { shares: typed } });
  assert.equal(identity, set.identity);
  const identityFile = join(dir, 'id.txt');
  writeFileSync(identityFile, `${identity}\n`, { mode: 0o600 });
  assert.equal(execFileSync('age-keygen', ['-y', identityFile]).toString().trim(), set.record.recipient);
  assert.match(execFileSync('age', ['-d', '-i', identityFile, bundle]).toString(), /"value":"canary"/);
});
