// HMAC-SHA256 (RFC 2104) from two one-shot SHA-256 calls over buffers laid out with 64 bytes of headroom, because
// node:crypto's createHmac costs a fresh MAC context per token, which dominates the cost of a small Fernet token.
// Digests come back as latin1 strings: a Buffer made in C++ per digest costs more than the hashing itself.
import { hash, timingSafeEqual } from 'node:crypto';

/** Bytes kept free before a message so the inner hash input (key XOR ipad, then message) is one contiguous buffer. */
export const HMAC_HEADROOM = 64;
const BLOCK = 64;
const DIGEST = 32;

export class HmacSha256Key {
  readonly #innerPad: Buffer;
  /** key XOR opad followed by room for the inner digest: the outer hash input, reused for every MAC. */
  readonly #outer: Buffer;
  /** Where a MAC being verified is computed, so it can be compared as bytes in constant time. */
  readonly #expected = Buffer.alloc(DIGEST);

  /** `key` must be at most one SHA-256 block (Fernet signing keys are 16 bytes). */
  constructor(key: Uint8Array) {
    if (key.length > BLOCK) throw new RangeError('HMAC keys longer than 64 bytes are not needed here');
    this.#innerPad = Buffer.alloc(BLOCK, 0x36);
    this.#outer = Buffer.alloc(BLOCK + DIGEST, 0x5c);
    for (let i = 0; i < key.length; i += 1) {
      this.#innerPad[i] = (this.#innerPad[i] as number) ^ (key[i] as number);
      this.#outer[i] = (this.#outer[i] as number) ^ (key[i] as number);
    }
  }

  /**
   * MAC of `mem[HMAC_HEADROOM, end)` as a 32-character latin1 string. Uses `mem[0, HMAC_HEADROOM)` (the headroom
   * the caller set aside) as scratch and leaves it zeroed.
   */
  #mac(mem: Buffer, end: number): string {
    this.#innerPad.copy(mem, 0);
    const inner = hash('sha256', mem.subarray(0, end), 'binary');
    // key XOR ipad gives the key away, and `mem` may sit in Node's shared Buffer pool: wipe it at once.
    mem.fill(0, 0, BLOCK);
    this.#outer.write(inner, BLOCK, 'latin1');
    return hash('sha256', this.#outer, 'binary');
  }

  /** Writes the MAC of `mem[HMAC_HEADROOM, end)` at `mem[end, end + 32)`. */
  sign(mem: Buffer, end: number): void {
    mem.write(this.#mac(mem, end), end, 'latin1');
  }

  /** Constant-time check that `mem[end, end + 32)` is the MAC of `mem[HMAC_HEADROOM, end)`. */
  verify(mem: Buffer, end: number): boolean {
    this.#expected.write(this.#mac(mem, end), 0, 'latin1');
    return timingSafeEqual(this.#expected, mem.subarray(end, end + DIGEST));
  }
}
