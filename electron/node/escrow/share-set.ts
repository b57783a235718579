// Splitting the bundle's secret into a k-of-n set, and combining shares back, on shamir-secret-sharing (audited, but
// without integrity checks): each share is bound to its set by a hash commitment recorded in the bundle's manifest,
// so a forged share, a share of another bundle or a share of a voided set is named before anything is combined.
import { createHash } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { ShareErrorDetails, ShareRejection } from '../../../shared/domain/escrow.js';
import { bundleIdToBytes, SECRET_BYTES, SHARE_DATA_BYTES, type EscrowShare } from './share-codec.js';

const COMMITMENT_DOMAIN = 'keyturn-escrow-commitment-v1\0';
/** n is capped where a person can still handle the sheets; the share format itself allows 255. */
export const MAX_SHARES = 20;

export interface SetHeader {
  bundleId: string;
  set: number;
  threshold: number;
  shares: number;
}

/** What the manifest records about a set, enough to check shares against it. */
export interface SetCommitment extends SetHeader {
  /** SHA-256 (hex) of each share, by index - 1. Shares are uniformly random, so these reveal nothing about the secret. */
  commitments: string[];
}

export function checkSetSize(threshold: number, shares: number): void {
  if (!Number.isInteger(shares) || shares < 2 || shares > MAX_SHARES)
    throw new KeyturnError('invalid-input', `The number of shares must be a whole number from 2 to ${MAX_SHARES}.`);
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > shares)
    throw new KeyturnError(
      'invalid-input',
      `The threshold must be a whole number from 2 to the number of shares (${shares}); with 1, every share alone would be the secret.`,
    );
}

/** Binds a share to its bundle, set, index and k-of-n, so moving it to another set or index breaks the match. */
export function shareCommitment(share: EscrowShare): string {
  return createHash('sha256')
    .update(COMMITMENT_DOMAIN)
    .update(bundleIdToBytes(share.bundleId))
    .update(new Uint8Array([share.set, share.index, share.threshold, share.shares]))
    .update(share.data)
    .digest('hex');
}

export async function splitSecret(secret: Uint8Array, header: SetHeader): Promise<{ shares: EscrowShare[]; commitment: SetCommitment }> {
  checkSetSize(header.threshold, header.shares);
  if (secret.length !== SECRET_BYTES) throw new KeyturnError('internal', 'The escrow secret must be 32 bytes.');
  // The library checks `constructor === Uint8Array`: a Buffer would be refused.
  const { split } = await import('shamir-secret-sharing');
  const parts = await split(new Uint8Array(secret), header.shares, header.threshold);
  const shares = parts.map((data, i): EscrowShare => ({ ...header, index: i + 1, data }));
  return { shares, commitment: { ...header, commitments: shares.map(shareCommitment) } };
}

/** A share given to combine, with how to name it to the user (its position, a file name). */
export interface GivenShare {
  share: EscrowShare;
  label: string;
}

export type Rejection = ShareRejection;

export interface Combined {
  secret: Uint8Array;
  /** Indexes of the shares that were combined. */
  used: number[];
  /** Shares set aside (with enough others left to restore); the caller reports them. */
  rejected: Rejection[];
}

export interface CombineContext {
  /** Earlier sets of the bundle that a rekey voided, to say so instead of "unknown set". */
  voided?: { set: number; voidedAt: string }[];
}

function reject(given: GivenShare, expected: SetCommitment, context: CombineContext): string | undefined {
  const s = given.share;
  if (s.bundleId !== expected.bundleId) return `it belongs to bundle ${s.bundleId}, not ${expected.bundleId}`;
  if (s.set !== expected.set) {
    const voided = context.voided?.find((v) => v.set === s.set);
    return voided
      ? `it belongs to share set ${s.set}, which a rekey voided on ${voided.voidedAt.slice(0, 10)}; use shares of set ${expected.set}`
      : `it belongs to share set ${s.set}, but the bundle's current set is ${expected.set}`;
  }
  if (s.threshold !== expected.threshold || s.shares !== expected.shares)
    return `it says ${s.threshold}-of-${s.shares}, but this set is ${expected.threshold}-of-${expected.shares}`;
  if (shareCommitment(s) !== expected.commitments[s.index - 1])
    return `it does not match the commitment recorded for share ${s.index} of this set: it was forged or altered after it was made (its checksum is intact, so this is not a typing error)`;
  return undefined;
}

/**
 * Checks every share against the set, then combines the good ones. Fails with `share-rejected` or `not-enough-shares`
 * naming each bad share (and each input that could not be read, passed in as `unreadable`) and how many more are
 * needed; identical copies of one share count once.
 */
export async function combineShares(
  given: GivenShare[],
  expected: SetCommitment,
  context: CombineContext = {},
  unreadable: Rejection[] = [],
): Promise<Combined> {
  const rejected: Rejection[] = [...unreadable];
  const good = new Map<number, EscrowShare>();
  for (const item of given) {
    const reason = reject(item, expected, context);
    if (reason) rejected.push({ label: item.label, index: item.share.index, reason });
    else good.set(item.share.index, item.share);
  }
  if (good.size < expected.threshold) {
    const more = expected.threshold - good.size;
    const need = `${expected.threshold} shares of set ${expected.set} are needed and ${good.size} valid ${good.size === 1 ? 'was' : 'were'} given: ${more} more ${more === 1 ? 'is' : 'are'} needed`;
    const why = rejected.map((r) => `${r.label}${r.index ? ` (share ${r.index})` : ''}: ${r.reason}`);
    // A share that reads but fails its commitment outranks a typing error: it may be an attack, not a slip.
    const code = rejected.length > unreadable.length ? 'share-rejected' : unreadable.length > 0 ? 'invalid-share' : 'not-enough-shares';
    const details: ShareErrorDetails = { needed: more, valid: good.size, threshold: expected.threshold, rejected };
    throw new KeyturnError(code, [...why, need].join('. ') + '.', { ...details });
  }
  const parts = [...good.values()].map((s) => new Uint8Array(s.data));
  if (parts.some((p) => p.length !== SHARE_DATA_BYTES)) throw new KeyturnError('internal', 'A share has the wrong length.');
  const { combine } = await import('shamir-secret-sharing');
  const secret = await combine(parts);
  return { secret, used: [...good.keys()].sort((a, b) => a - b), rejected };
}
