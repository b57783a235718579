// Fresh random IVs without a CSPRNG call per token: random bytes are drawn 4 KiB at a time and each handed out once.
// IVs are public (they travel in the token) and are never reused, so pooling costs nothing in security.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let position = POOL_BYTES;

/** Writes `length` never-before-used random bytes into `target` at `offset`. */
export function fillRandom(target: Buffer, offset: number, length: number): void {
  if (length > POOL_BYTES) {
    randomFillSync(target, offset, length);
    return;
  }
  if (position + length > POOL_BYTES) {
    randomFillSync(pool);
    position = 0;
  }
  pool.copy(target, offset, position, position + length);
  position += length;
}
