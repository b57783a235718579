// The implementations the Fernet bench compares Keyturn with: a plain node:crypto loop (one cipher and one HMAC
// context per token), the npm `fernet` package, and Python's cryptography (timed inside Python).
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { pythonCryptographyProblem, runPython } from '../test/support/python.js';
import type { FernetOp } from './fernet-openssl.js';

export type OpSet = Record<FernetOp, () => unknown>;

/** Spec-literal Fernet on node:crypto with no tuning: what a first implementation looks like. */
export function naiveNodeOps(oldKey: string, newKey: string, plaintext: Buffer): OpSet {
  const split = (k: string) => {
    const raw = Buffer.from(k, 'base64url');
    return { sign: raw.subarray(0, 16), enc: raw.subarray(16) };
  };
  const [oldK, newK] = [split(oldKey), split(newKey)];
  const encrypt = (k: { sign: Buffer; enc: Buffer }, data: Buffer, ts: Buffer): string => {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', k.enc, iv);
    const body = Buffer.concat([Buffer.from([0x80]), ts, iv, cipher.update(data), cipher.final()]);
    const raw = Buffer.concat([body, createHmac('sha256', k.sign).update(body).digest()]);
    return raw.toString('base64url') + '='.repeat((3 - (raw.length % 3)) % 3);
  };
  const tryDecrypt = (k: { sign: Buffer; enc: Buffer }, raw: Buffer): Buffer | null => {
    const mac = createHmac('sha256', k.sign).update(raw.subarray(0, -32)).digest();
    if (!timingSafeEqual(mac, raw.subarray(-32))) return null;
    const decipher = createDecipheriv('aes-128-cbc', k.enc, raw.subarray(9, 25));
    return Buffer.concat([decipher.update(raw.subarray(25, -32)), decipher.final()]);
  };
  const now = (): Buffer => {
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)));
    return ts;
  };
  const token = encrypt(oldK, plaintext, now());
  return {
    encrypt: () => encrypt(oldK, plaintext, now()),
    decrypt: () => tryDecrypt(oldK, Buffer.from(token, 'base64url')),
    rotate: () => {
      const raw = Buffer.from(token, 'base64url');
      const data = tryDecrypt(newK, raw) ?? tryDecrypt(oldK, raw);
      return encrypt(newK, data!, raw.subarray(1, 9));
    },
  };
}

interface NpmFernet {
  Secret: new (key: string) => object;
  Token: new (opts: { secret: object; token?: string; ttl?: number }) => { encode(message: string): string; decode(): string };
}

/** npm `fernet` (text only, no multi-key API): its rotate is decode with the old key and encode with the new one. */
export function npmFernetOps(oldKey: string, newKey: string, text: string): OpSet {
  const lib = createRequire(import.meta.url)('fernet') as NpmFernet;
  const [oldSecret, newSecret] = [new lib.Secret(oldKey), new lib.Secret(newKey)];
  const token = new lib.Token({ secret: oldSecret, ttl: 0 }).encode(text);
  return {
    encrypt: () => new lib.Token({ secret: oldSecret, ttl: 0 }).encode(text),
    decrypt: () => new lib.Token({ secret: oldSecret, token, ttl: 0 }).decode(),
    rotate: () => new lib.Token({ secret: newSecret, ttl: 0 }).encode(new lib.Token({ secret: oldSecret, token, ttl: 0 }).decode()),
  };
}

const PYTHON_BENCH = `
import time
from cryptography.fernet import Fernet, MultiFernet
old, new = Fernet(Fernet.generate_key()), Fernet(Fernet.generate_key())
multi = MultiFernet([new, old])

# ops per CPU-second (process_time), timed inside Python: start-up and other load on the machine do not count
def rate(fn):
    best = 0.0
    for _ in range(data['rounds']):
        n, t0 = 0, time.process_time()
        while True:
            for _ in range(50):
                fn()
            n += 50
            used = time.process_time() - t0
            if used >= data['seconds']:
                break
        best = max(best, n / used)
    return best

out = {}
for size in data['sizes']:
    pt = data['text'][:size].encode()
    token = old.encrypt(pt)
    out[str(size)] = {
        'encrypt': rate(lambda: old.encrypt(pt)),
        'decrypt': rate(lambda: old.decrypt(token)),
        'rotate': rate(lambda: multi.rotate(token)),
    }
emit(out)
`;

/** Python's ops per CPU-second per size (timed in-process, best of `rounds`), or why Python could not run. */
export async function pythonRates(
  sizes: number[],
  text: string,
  seconds: number,
  rounds: number,
): Promise<{ rates: Record<string, Record<FernetOp, number>> } | { skipped: string }> {
  const problem = pythonCryptographyProblem();
  if (problem) return { skipped: problem };
  return {
    rates: await runPython<Record<string, Record<FernetOp, number>>>({ script: PYTHON_BENCH, input: { sizes, text, seconds, rounds } }),
  };
}
