// Splits values longer than one keychain entry may hold (Windows Credential Manager: 2,560 bytes) into numbered
// entries `<account>#<i>`, with a manifest in `<account>` naming the count and a SHA-256 of the whole value.
import { createHash } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';
import type { Keychain } from './keychain.js';

export const DEFAULT_CHUNK_BYTES = 2500;
export const MIN_CHUNK_BYTES = 100;
/** Keys are at most a few kilobytes (an RSA-4096 PEM is about 3.3 KB); anything far larger is a mistake. */
export const MAX_VALUE_BYTES = 64 * 1024;
const PREFIX = 'keyturn-chunked:v1:';
const MANIFEST = /^keyturn-chunked:v1:([1-9][0-9]{0,3}):([0-9a-f]{64})$/;

export function chunkAccount(account: string, index: number): string {
  return `${account}#${index}`;
}

/** Split on code-point boundaries so no chunk holds half a UTF-8 character. */
export function splitUtf8(value: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of value) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes && current !== '') {
      pieces.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function changedOutside(account: string, what: string): KeyturnError {
  return new KeyturnError(
    'changed-outside',
    `The keychain entry ${account} was changed outside Keyturn (${what}); restore it from a backup or delete the key with "keyturn keys delete" and store it again.`,
  );
}

export class ChunkedKeychain implements Keychain {
  readonly backend: string;

  constructor(
    private readonly inner: Keychain,
    private readonly chunkBytes: number = DEFAULT_CHUNK_BYTES,
  ) {
    if (!Number.isInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES)
      throw new KeyturnError('invalid-input', `The keychain chunk size must be a whole number of at least ${MIN_CHUNK_BYTES} bytes.`);
    this.backend = inner.backend;
  }

  /** How many entries `value` will use: 1 when it fits, else the number of chunks. */
  chunksFor(value: string): number {
    if (Buffer.byteLength(value, 'utf8') <= this.chunkBytes && !value.startsWith(PREFIX)) return 1;
    return splitUtf8(value, this.chunkBytes).length;
  }

  holds(account: string, signal?: AbortSignal): Promise<boolean> {
    return this.inner.holds(account, signal);
  }

  async get(account: string, signal?: AbortSignal): Promise<string | null> {
    const head = await this.inner.get(account, signal);
    if (head === null || !head.startsWith(PREFIX)) return head;
    const match = MANIFEST.exec(head);
    if (!match) throw changedOutside(account, 'its chunk manifest is malformed');
    const count = Number(match[1]);
    const pieces: string[] = [];
    for (let i = 1; i <= count; i += 1) {
      const piece = await this.inner.get(chunkAccount(account, i), signal);
      if (piece === null) throw changedOutside(account, `part ${i} of ${count} is missing`);
      pieces.push(piece);
    }
    const value = pieces.join('');
    if (sha256(value) !== match[2]) throw changedOutside(account, 'its parts do not add up to the stored checksum');
    return value;
  }

  async set(account: string, value: string, signal?: AbortSignal): Promise<number> {
    // A value that looks like a manifest is chunked too, so reading it back is never ambiguous.
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_VALUE_BYTES) {
      throw new KeyturnError(
        'value-too-large',
        `The value is ${bytes} bytes, more than the ${MAX_VALUE_BYTES} bytes Keyturn keeps in the keychain; store a key, not a file.`,
      );
    }
    if (bytes <= this.chunkBytes && !value.startsWith(PREFIX)) return this.inner.set(account, value, signal);
    const pieces = splitUtf8(value, this.chunkBytes);
    const written: string[] = [];
    try {
      for (const [i, piece] of pieces.entries()) {
        const chunk = chunkAccount(account, i + 1);
        await this.inner.set(chunk, piece, signal);
        written.push(chunk);
      }
      await this.inner.set(account, `${PREFIX}${pieces.length}:${sha256(value)}`, signal);
    } catch (error) {
      // Leave no orphaned parts behind; a cleanup failure must not hide the original error.
      for (const chunk of written) await this.inner.delete(chunk).catch(() => false);
      throw error;
    }
    return pieces.length;
  }

  async delete(account: string, signal?: AbortSignal): Promise<boolean> {
    const head = await this.inner.get(account, signal);
    const match = head === null ? null : MANIFEST.exec(head);
    if (match) {
      for (let i = 1; i <= Number(match[1]); i += 1) await this.inner.delete(chunkAccount(account, i), signal);
    }
    return this.inner.delete(account, signal);
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    return (await this.inner.list(signal)).filter((account) => !/#[0-9]+$/.test(account));
  }

  status(signal?: AbortSignal): Promise<KeychainStatus> {
    return this.inner.status(signal);
  }
}
