// Escrow shares handed over in the app stay in the host under a random id, like generated drafts: the page keeps only
// the id and what the share says about itself, and never gets the share back. Forgotten shares expire.
import { randomBytes } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { EscrowShare } from '../escrow/share-codec.js';

export interface HeldEscrowShare {
  share: EscrowShare;
  label: string;
}

export class ShareStore {
  private readonly entries = new Map<string, HeldEscrowShare & { expires: number }>();

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly max = 64,
    private readonly now: () => number = Date.now,
  ) {}

  add(held: HeldEscrowShare): string {
    this.sweep();
    const id = randomBytes(18).toString('base64url');
    this.entries.set(id, { ...held, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return id;
  }

  get(id: string): HeldEscrowShare {
    this.sweep();
    const entry = this.entries.get(id);
    if (!entry)
      throw new KeyturnError(
        'not-found',
        'A share given earlier is no longer held (shares are forgotten after 15 minutes, after a restore, or when the app restarts): give it again.',
      );
    return { share: entry.share, label: entry.label };
  }

  delete(id: string): boolean {
    return this.entries.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expires <= now) this.entries.delete(id);
  }
}
