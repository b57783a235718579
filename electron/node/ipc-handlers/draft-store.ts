// Generated-but-unsaved keys stay in the host process under a random id, so their value crosses IPC only on copy/export.
import { randomBytes } from 'node:crypto';
import type { GeneratedKey } from '../../../shared/domain/generated-key.js';
import { KeyturnError } from '../../../shared/domain/errors.js';

export interface DraftStoreOptions {
  /** How long an untouched draft lives; a forgotten key should not linger in memory. */
  ttlMs?: number;
  /** The oldest draft is dropped beyond this many. */
  max?: number;
  now?: () => number;
}

interface Entry {
  key: GeneratedKey;
  expires: number;
}

export class DraftStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: DraftStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.max = options.max ?? 16;
    this.now = options.now ?? Date.now;
  }

  add(key: GeneratedKey): string {
    this.sweep();
    const id = randomBytes(18).toString('base64url');
    this.entries.set(id, { key, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return id;
  }

  get(id: string): GeneratedKey {
    this.sweep();
    const entry = this.entries.get(id);
    if (!entry) {
      throw new KeyturnError(
        'not-found',
        'That generated key is no longer held (drafts expire after 15 minutes or when the app restarts): generate a new one.',
      );
    }
    entry.expires = this.now() + this.ttlMs;
    return entry.key;
  }

  delete(id: string): boolean {
    return this.entries.delete(id);
  }

  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expires <= now) this.entries.delete(id);
  }
}
