// Interop with the npm `fernet` package (crypto-js based, text-only, 60 s default TTL): an independent oracle.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { seededRandom, type SeededRandom } from '../../../test/support/seeded-random.js';
import { Fernet, generateFernetKey } from './fernet.js';

interface NpmFernet {
  Secret: new (key: string) => object;
  Token: new (opts: { secret: object; token?: string; ttl?: number }) => { encode(message: string): string; decode(): string };
}

const npmFernet = createRequire(import.meta.url)('fernet') as NpmFernet;

function randomText(rng: SeededRandom, length: number): string {
  const alphabet = ['a', 'Z', '0', ' ', '\n', '{', '"', 'é', 'ß', '€', '日本', '🔑'];
  let s = '';
  while (s.length < length) s += rng.pick(alphabet);
  return s;
}

test('npm fernet decrypts Keyturn tokens, and Keyturn decrypts npm fernet tokens (text plaintexts)', () => {
  const rng = seededRandom();
  const key = generateFernetKey();
  const ours = new Fernet(key);
  const secret = new npmFernet.Secret(key);
  const lengths = [1, 2, 15, 16, 17, 100, 1024, ...Array.from({ length: 40 }, () => 1 + rng.int(3000))];
  for (const n of lengths) {
    const text = randomText(rng, n);
    const ourToken = ours.encrypt(Buffer.from(text, 'utf8'));
    assert.equal(new npmFernet.Token({ secret, token: ourToken, ttl: 0 }).decode(), text, `ours -> npm, ${n} chars (seed ${rng.seed})`);
    const theirToken = new npmFernet.Token({ secret, ttl: 0 }).encode(text);
    assert.equal(ours.decrypt(theirToken, { ttl: 60 }).toString('utf8'), text, `npm -> ours, ${n} chars (seed ${rng.seed})`);
    // npm fernet keeps Python's '=' padding too: the token text has the length Python's encoder gives.
    assert.equal(theirToken.length % 4, 0);
  }
});

test('npm fernet refuses a Keyturn token under another key, as Keyturn refuses its tokens', () => {
  const ours = new Fernet(generateFernetKey());
  const other = new npmFernet.Secret(generateFernetKey());
  assert.throws(() => new npmFernet.Token({ secret: other, token: ours.encrypt(Buffer.from('x')), ttl: 0 }).decode(), /HMAC/);
  const theirToken = new npmFernet.Token({ secret: other, ttl: 0 }).encode('y');
  assert.throws(() => ours.decrypt(theirToken), /not valid for this key/);
});
