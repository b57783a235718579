// Fernet engine behaviour, checked against a plain reference built from createCipheriv/createHmac (one context per
// token, no shortcuts), so the fast path (long-lived CBC contexts, hash-based HMAC, IV pool) must match it exactly.
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { Fernet, INVALID_TOKEN_MESSAGE, MultiFernet, generateFernetKey } from './fernet.js';

const isInvalidToken = (e: unknown): boolean =>
  e instanceof KeyturnError && e.code === 'invalid-token' && e.message === INVALID_TOKEN_MESSAGE;
const isInvalidKey = (e: unknown): boolean => e instanceof KeyturnError && e.code === 'invalid-key';

/** Spec-literal token: 0x80 | ts | iv | AES-128-CBC(PKCS#7) | HMAC-SHA256, url-safe base64 with padding. */
function referenceToken(key: string, plaintext: Uint8Array, ts: number, iv: Uint8Array, opts: { autoPadding?: boolean } = {}): string {
  const raw = Buffer.from(key, 'base64url');
  const cipher = createCipheriv('aes-128-cbc', raw.subarray(16), iv);
  cipher.setAutoPadding(opts.autoPadding ?? true);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(ts));
  const body = Buffer.concat([Buffer.from([0x80]), time, iv, ciphertext]);
  const token = Buffer.concat([body, createHmac('sha256', raw.subarray(0, 16)).update(body).digest()]);
  return token.toString('base64');
}

const urlsafe = (b64: string): string => b64.replace(/\+/g, '-').replace(/\//g, '_');

test('tokens equal the spec-literal reference for many sizes and IVs in a row on one key, and decrypt back', () => {
  const rng = seededRandom();
  const key = generateFernetKey();
  const f = new Fernet(key);
  const sizes = [0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 100, 255, 256, 1024, 4095, 4096, 65536];
  for (let i = 0; i < 200; i += 1) sizes.push(rng.int(3000));
  for (const size of sizes) {
    const plaintext = rng.bytes(size);
    const iv = rng.bytes(16);
    const now = 1_600_000_000 + rng.int(1_000_000);
    const token = f.encrypt(plaintext, { now, iv });
    assert.equal(token, urlsafe(referenceToken(key, plaintext, now, iv)), `size ${size} (seed ${rng.seed})`);
    assert.deepEqual(f.decrypt(token), plaintext);
    assert.equal(f.extractTimestamp(token), now);
  }
});

test('random IVs differ per token and every token decrypts; a 1 MiB binary plaintext round-trips', () => {
  const f = new Fernet(generateFernetKey());
  const ivs = new Set<string>();
  for (let i = 0; i < 600; i += 1) {
    const token = f.encrypt(Buffer.from([i & 0xff]));
    ivs.add(Buffer.from(token, 'base64url').subarray(9, 25).toString('hex'));
    assert.deepEqual(f.decrypt(token), Buffer.from([i & 0xff]));
  }
  assert.equal(ivs.size, 600);
  const big = randomBytes(1 << 20);
  assert.deepEqual(f.decrypt(f.encrypt(big)), big);
});

test('every single-byte change to a token, and every truncation, is the one invalid-token error', () => {
  const f = new Fernet(generateFernetKey());
  const raw = Buffer.from(f.encrypt(Buffer.from('attack at dawn')), 'base64url');
  for (let i = 0; i < raw.length; i += 1) {
    const bad = Buffer.from(raw);
    bad[i] = (bad[i] as number) ^ 0x01;
    assert.throws(() => f.decrypt(urlsafe(bad.toString('base64'))), isInvalidToken, `byte ${i}`);
  }
  for (const cut of [1, 16, 32, raw.length - 1]) {
    assert.throws(() => f.decrypt(urlsafe(raw.subarray(0, raw.length - cut).toString('base64'))), isInvalidToken, `cut ${cut}`);
  }
  for (const junk of ['', 'not a token', '%%%%', 'gAAAAA==', '\u00e9'.repeat(100)]) assert.throws(() => f.decrypt(junk), isInvalidToken);
  assert.throws(() => f.decrypt(42 as unknown as string), isInvalidToken);
  assert.throws(() => new Fernet(generateFernetKey()).decrypt(f.encrypt(Buffer.from('x'))), isInvalidToken, 'another key');
});

test('a token with a valid MAC but broken PKCS#7 padding is refused like any other bad token', () => {
  const key = generateFernetKey();
  const f = new Fernet(key);
  const iv = randomBytes(16);
  for (const lastByte of [0, 17, 255]) {
    const block = Buffer.alloc(16, 3);
    block[15] = lastByte;
    assert.throws(
      () => f.decrypt(urlsafe(referenceToken(key, block, 1000, iv, { autoPadding: false }))),
      isInvalidToken,
      `pad ${lastByte}`,
    );
  }
  const inconsistent = Buffer.alloc(16, 4);
  inconsistent[13] = 9; // last four bytes must all be 4
  assert.throws(() => f.decrypt(urlsafe(referenceToken(key, inconsistent, 1000, iv, { autoPadding: false }))), isInvalidToken);
  // and the same construction with correct padding decrypts, so the refusals above are about padding alone
  const good = Buffer.alloc(16, 4);
  assert.deepEqual(f.decrypt(urlsafe(referenceToken(key, good, 1000, iv, { autoPadding: false }))), Buffer.alloc(12, 4));
});

test('TTL and the 60 s clock-skew rule apply only when a TTL is given, at the exact boundaries', () => {
  const f = new Fernet(generateFernetKey());
  const token = f.encrypt(Buffer.from('t'), { now: 1_000_000 });
  assert.equal(f.decrypt(token, { ttl: 10, now: 1_000_010 }).toString(), 't');
  assert.throws(() => f.decrypt(token, { ttl: 10, now: 1_000_011 }), isInvalidToken);
  assert.equal(f.decrypt(token, { ttl: 10, now: 1_000_000 - 60 }).toString(), 't');
  assert.throws(() => f.decrypt(token, { ttl: 10, now: 1_000_000 - 61 }), isInvalidToken);
  assert.equal(f.decrypt(token).toString(), 't');
  assert.equal(f.decrypt(token, { now: 1 }).toString(), 't');
  // The TTL default "now" is the real clock: a token from 1970 is long expired.
  assert.throws(() => f.decrypt(token, { ttl: 3600 }), isInvalidToken);
  assert.equal(f.decrypt(f.encrypt(Buffer.from('fresh')), { ttl: 3600 }).toString(), 'fresh');
  assert.throws(
    () => f.decrypt(token, { ttl: -1 }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-input',
  );
});

test('MultiFernet encrypts with the first key, decrypts with any, and rotate keeps the timestamp', () => {
  const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
  const oldF = new Fernet(oldKey);
  const newF = new Fernet(newKey);
  const multi = new MultiFernet([newF, oldF]);
  const plaintext = randomBytes(333);
  const legacy = oldF.encrypt(plaintext, { now: 1_234_567 });
  assert.deepEqual(multi.decrypt(legacy), plaintext);
  assert.equal(multi.extractTimestamp(legacy), 1_234_567);
  assert.deepEqual(newF.decrypt(multi.encrypt(plaintext)), plaintext);

  const iv = randomBytes(16);
  const rotated = multi.rotate(legacy, { iv });
  // Exactly what encrypting under the new key at the original time with that IV gives.
  assert.equal(rotated, newF.encrypt(plaintext, { now: 1_234_567, iv }));
  assert.equal(newF.extractTimestamp(rotated), 1_234_567);
  assert.throws(() => oldF.decrypt(rotated), isInvalidToken);
  // Rotation ignores TTL (as Python's), and a token for neither key is refused.
  assert.deepEqual(newF.decrypt(multi.rotate(multi.rotate(legacy))), plaintext);
  assert.throws(() => multi.rotate(new Fernet(generateFernetKey()).encrypt(plaintext)), isInvalidToken);
  assert.throws(() => multi.rotate('garbage'), isInvalidToken);
  assert.throws(() => multi.decrypt(legacy, { ttl: 60 }), isInvalidToken);
  assert.throws(
    () => new MultiFernet([]),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-input',
  );
});

test('rotation through many tokens of mixed sizes stays exact (long-lived cipher contexts keep their chaining right)', () => {
  const rng = seededRandom();
  const keys = [generateFernetKey(), generateFernetKey(), generateFernetKey()];
  const fernets = keys.map((k) => new Fernet(k));
  const multi = new MultiFernet([fernets[0]!, fernets[1]!, fernets[2]!]);
  for (let i = 0; i < 300; i += 1) {
    const plaintext = rng.bytes(rng.int(700));
    const source = rng.pick(fernets);
    const token = source.encrypt(plaintext, { now: 5000 + i });
    const iv = rng.bytes(16);
    const rotated = multi.rotate(token, { iv });
    assert.equal(rotated, urlsafe(referenceToken(keys[0]!, plaintext, 5000 + i, iv)), `token ${i} (seed ${rng.seed})`);
  }
});

test('keys: text as Python writes it or 32 raw bytes; anything else is invalid-key without echoing the key', () => {
  const text = generateFernetKey();
  assert.match(text, /^[A-Za-z0-9_-]{43}=$/);
  const fromText = new Fernet(text);
  const fromBytes = new Fernet(Buffer.from(text, 'base64url'));
  const iv = randomBytes(16);
  assert.equal(fromBytes.encrypt(Buffer.from('same'), { now: 7, iv }), fromText.encrypt(Buffer.from('same'), { now: 7, iv }));
  // (Python, and so Keyturn, accept text after a complete key's "=": `text + text` is a valid key. `A` + key is not.)
  assert.doesNotThrow(() => new Fernet(text + text));
  for (const bad of [text.slice(0, -1), `${text.slice(0, 40)}====`, 'short', `A${text}`]) {
    assert.throws(() => new Fernet(bad), isInvalidKey);
    try {
      new Fernet(bad);
    } catch (e) {
      assert.ok(!(e as Error).message.includes(bad), 'the error never quotes the key');
      assert.match((e as Error).message, /must be 32 url-safe base64-encoded bytes/);
    }
  }
  assert.throws(() => new Fernet(randomBytes(31)), isInvalidKey);
  assert.throws(() => new Fernet(Buffer.from(text)), isInvalidKey, '44 bytes of base64 text are not raw key bytes');
});

test('inspecting a Fernet object shows no key material', () => {
  const text = generateFernetKey();
  const raw = Buffer.from(text, 'base64url');
  const shown = inspect(new MultiFernet([new Fernet(text)]), { depth: 10, showHidden: true });
  for (const form of [text, text.slice(0, 22), raw.subarray(0, 16).toString('hex'), raw.subarray(16).toString('hex')]) {
    assert.ok(!shown.includes(form));
  }
});

test('no trace of the signing key is left in the shared Buffer pool after MAC work', () => {
  const text = generateFernetKey();
  const raw = Buffer.allocUnsafeSlow(32); // outside the pool, so the test itself puts no key bytes there
  raw.write(text, 'base64url');
  const signing = raw.subarray(0, 16);
  const innerPad = Buffer.allocUnsafeSlow(16);
  for (let i = 0; i < 16; i += 1) innerPad[i] = (signing[i] as number) ^ 0x36;
  const f = new Fernet(text);
  const token = f.encrypt(Buffer.from('pooled'));
  f.decrypt(token);
  // Small Buffers share one slab; any Buffer's .buffer exposes it. Check the slab a fresh pooled Buffer sits in.
  const slab = Buffer.from(Buffer.from('probe').buffer);
  assert.equal(slab.indexOf(innerPad), -1);
  assert.equal(slab.indexOf(signing), -1);
});
