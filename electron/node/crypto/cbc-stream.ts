// AES-128-CBC with one long-lived OpenSSL context per key instead of one per token: creating a cipher costs more than
// encrypting a small token. CBC chains on the previous ciphertext block, so each call re-bases its first block from
// that chaining value to the token's own IV; the result is byte-identical to a fresh createCipheriv(key, iv).
import { createCipheriv, createDecipheriv, type Cipher, type Decipher, type KeyObject } from 'node:crypto';

const BLOCK = 16;
const CIPHER = 'aes-128-cbc';

function checkBlocks(data: Buffer): void {
  if (data.length === 0 || data.length % BLOCK !== 0) throw new RangeError('CBC input must be whole 16-byte blocks');
}

function xorFirstBlock(target: Buffer, a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < BLOCK; i += 1) target[i] = (target[i] as number) ^ (a[i] as number) ^ (b[i] as number);
}

export class CbcEncryptStream {
  readonly #key: KeyObject;
  #cipher: Cipher | null = null;
  /** The context's current chaining value: the last ciphertext block it produced (zero IV at the start). */
  readonly #chain = Buffer.alloc(BLOCK);

  constructor(key: KeyObject) {
    this.#key = key;
  }

  /**
   * Encrypts whole blocks of already padded plaintext under `iv`. `padded` is scratch: its first block is modified.
   * Returns a new Buffer of the same length.
   */
  encrypt(padded: Buffer, iv: Uint8Array): Buffer {
    checkBlocks(padded);
    const cipher = this.#context();
    xorFirstBlock(padded, this.#chain, iv);
    try {
      const out = cipher.update(padded);
      out.copy(this.#chain, 0, out.length - BLOCK);
      return out;
    } catch (error) {
      this.#reset();
      throw error;
    }
  }

  #context(): Cipher {
    if (this.#cipher) return this.#cipher;
    const cipher = createCipheriv(CIPHER, this.#key, Buffer.alloc(BLOCK));
    cipher.setAutoPadding(false);
    this.#chain.fill(0);
    this.#cipher = cipher;
    return cipher;
  }

  /** After an unexpected failure the chaining value is unknown: start over with a fresh context. */
  #reset(): void {
    this.#cipher = null;
  }
}

export class CbcDecryptStream {
  readonly #key: KeyObject;
  #decipher: Decipher | null = null;
  /** The context's chaining value: the last ciphertext block it consumed (zero IV at the start). */
  readonly #chain = Buffer.alloc(BLOCK);

  constructor(key: KeyObject) {
    this.#key = key;
  }

  /** Decrypts whole blocks of `ciphertext` (not modified) under `iv`; returns the padded plaintext in a new Buffer. */
  decrypt(ciphertext: Buffer, iv: Uint8Array): Buffer {
    checkBlocks(ciphertext);
    const decipher = this.#context();
    let out: Buffer;
    try {
      out = decipher.update(ciphertext);
    } catch (error) {
      this.#decipher = null;
      throw error;
    }
    xorFirstBlock(out, this.#chain, iv);
    ciphertext.copy(this.#chain, 0, ciphertext.length - BLOCK);
    return out;
  }

  #context(): Decipher {
    if (this.#decipher) return this.#decipher;
    const decipher = createDecipheriv(CIPHER, this.#key, Buffer.alloc(BLOCK));
    decipher.setAutoPadding(false);
    this.#chain.fill(0);
    this.#decipher = decipher;
    return decipher;
  }
}
