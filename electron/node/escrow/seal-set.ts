// Making a share set and sealing bundle versions to it: a fresh age identity, its secret split k-of-n, every k-subset
// of the new shares proved to combine back to it, and each payload encrypted to its public key and read back.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { decryptAge, encryptArmored, identityOfSecret, newAgeKeyPair, recipientOfSecret } from './age-crypto.js';
import { PAYLOAD_FORMAT, parsePayload, type BundlePayload, type EscrowKey, type ShareSetRecord } from './bundle-model.js';
import type { CustodianSpec } from './custodians.js';
import { bundleIdFromBytes, BUNDLE_ID_BYTES, type EscrowShare } from './share-codec.js';
import { combineShares, splitSecret } from './share-set.js';

/** Past this many k-subsets (n = 20, k = 10 has 184,756) a sample is proved instead of every one. */
const MAX_SUBSETS_PROVED = 2_000;

export function newBundleId(): string {
  return bundleIdFromBytes(randomBytes(BUNDLE_ID_BYTES));
}

export interface NewSet {
  record: ShareSetRecord;
  shares: EscrowShare[];
  /** The set's age identity; only ever in memory. */
  identity: string;
}

function* subsets(n: number, k: number): Generator<number[]> {
  const pick = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield [...pick];
    let i = k - 1;
    while (i >= 0 && pick[i] === n - k + i) i -= 1;
    if (i < 0) return;
    pick[i]! += 1;
    for (let j = i + 1; j < k; j += 1) pick[j] = pick[j - 1]! + 1;
  }
}

/** Proves that k-subsets of the set combine to the secret (all of them, up to MAX_SUBSETS_PROVED). */
async function proveSet(record: ShareSetRecord, shares: EscrowShare[], secret: Uint8Array, bundleId: string): Promise<void> {
  let proved = 0;
  for (const pick of subsets(shares.length, record.threshold)) {
    if (proved >= MAX_SUBSETS_PROVED) break;
    const given = pick.map((i) => ({ share: shares[i]!, label: `share ${i + 1}` }));
    const combined = await combineShares(given, { ...record, bundleId });
    if (!timingSafeEqual(combined.secret, secret))
      throw new KeyturnError('internal', 'A new share set did not combine back to its key; nothing was written.');
    proved += 1;
  }
  // And the set's recorded public key is the one the restored secret yields, as every restore will check.
  if ((await recipientOfSecret(secret)) !== record.recipient) throw new KeyturnError('internal', 'A new share set does not match its key.');
}

export async function newShareSet(input: {
  bundleId: string;
  set: number;
  threshold: number;
  custodians: CustodianSpec[];
  created: Date;
}): Promise<NewSet> {
  if (input.set > 255) throw new KeyturnError('refused', 'This bundle has been rekeyed 254 times; create a new bundle instead.');
  const pair = await newAgeKeyPair();
  const header = { bundleId: input.bundleId, set: input.set, threshold: input.threshold, shares: input.custodians.length };
  const { shares, commitment } = await splitSecret(pair.secret, header);
  const record: ShareSetRecord = {
    set: input.set,
    threshold: input.threshold,
    shares: header.shares,
    created: input.created.toISOString(),
    recipient: pair.recipient,
    custodians: input.custodians.map((c, i) => ({ index: i + 1, name: c.name, ...(c.recipient ? { recipient: c.recipient } : {}) })),
    commitments: commitment.commitments,
  };
  await proveSet(record, shares, pair.secret, input.bundleId);
  return { record, shares, identity: identityOfSecret(pair.secret) };
}

/** A fresh key for a bundle version's fingerprints (escrowFingerprint). */
export function newFingerprintKey(): string {
  return randomBytes(32).toString('base64url');
}

export function payloadOf(bundleId: string, version: number, created: Date, keys: EscrowKey[], fingerprintKey: string): BundlePayload {
  return { format: PAYLOAD_FORMAT, bundleId, version, created: created.toISOString(), fingerprintKey, keys };
}

/** Encrypts a payload to the set and, when the identity is at hand, reads it back before anyone relies on it. */
export async function sealPayload(payload: BundlePayload, recipient: string, identity?: string): Promise<string> {
  const sealed = await encryptArmored([recipient], JSON.stringify(payload));
  if (identity !== undefined) {
    const back = parsePayload(await decryptAge(sealed, [identity], 'The new bundle file'), payload);
    if (JSON.stringify(back) !== JSON.stringify(payload))
      throw new KeyturnError('internal', 'The new bundle file did not read back as written; nothing was kept.');
  }
  return sealed;
}
