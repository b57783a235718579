// Splitting and combining with integrity: every k-of-n up to 10 restores from every subset of k shares (through the
// typed text form), fewer than k fail saying how many more are needed, and shares that are not this set's are named.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { decryptAge, encryptArmored, identityOfSecret, newAgeKeyPair } from './age-crypto.js';
import { decodeShare, encodeShare, type EscrowShare } from './share-codec.js';
import { combineShares, shareCommitment, splitSecret, type GivenShare, type SetCommitment } from './share-set.js';

function* subsets<T>(items: T[], k: number, start = 0, picked: T[] = []): Generator<T[]> {
  if (picked.length === k) {
    yield picked;
    return;
  }
  for (let i = start; i <= items.length - (k - picked.length); i += 1) yield* subsets(items, k, i + 1, [...picked, items[i]!]);
}

const given = (shares: EscrowShare[]): GivenShare[] => shares.map((share) => ({ share, label: `share ${share.index}` }));

test('every k-of-n up to 10 restores from every subset of k shares, read back from their text', async () => {
  let combined = 0;
  for (let n = 2; n <= 10; n += 1) {
    for (let k = 2; k <= n; k += 1) {
      const pair = await newAgeKeyPair();
      // One age encryption per bundle; each subset must give back the identity that opens it.
      const sealed = await encryptArmored([pair.recipient], `bundle ${k}-of-${n}`);
      const { shares, commitment } = await splitSecret(pair.secret, { bundleId: 'K3M9QX2A', set: 1, threshold: k, shares: n });
      const typed = shares.map((s) => decodeShare(encodeShare(s)));
      let identity = '';
      for (const subset of subsets(typed, k)) {
        const result = await combineShares(given(subset), commitment);
        identity = identityOfSecret(result.secret);
        assert.equal(identity, pair.identity, `${k}-of-${n} from ${subset.map((s) => s.index).join(',')}`);
        combined += 1;
      }
      assert.equal(new TextDecoder().decode(await decryptAge(sealed, [identity], 'bundle')), `bundle ${k}-of-${n}`);
    }
  }
  assert.equal(combined, 1981); // sum over n = 2..10 of (2^n - 1 - n)
});

async function threeOfFive(
  bundleId = 'K3M9QX2A',
  set = 1,
): Promise<{ secret: Uint8Array; shares: EscrowShare[]; commitment: SetCommitment }> {
  const secret = new Uint8Array(randomBytes(32));
  return { secret, ...(await splitSecret(secret, { bundleId, set, threshold: 3, shares: 5 })) };
}

test('k-1 shares fail cleanly, saying how many more are needed', async () => {
  const { shares, commitment } = await threeOfFive();
  await assert.rejects(combineShares(given(shares.slice(0, 2)), commitment), {
    code: 'not-enough-shares',
    message: '3 shares of set 1 are needed and 2 valid were given: 1 more is needed.',
  });
  await assert.rejects(combineShares(given(shares.slice(0, 1)), commitment), { message: /2 more are needed/ });
  // The same share twice counts once.
  await assert.rejects(combineShares(given([shares[0]!, shares[0]!, shares[1]!]), commitment), { code: 'not-enough-shares' });
});

test('a valid share from another bundle is named at combine', async () => {
  const { shares, commitment } = await threeOfFive();
  const other = await threeOfFive('ZZZZ0000');
  const error = await combineShares(given([shares[0]!, shares[1]!, other.shares[2]!]), commitment).catch((e: unknown) => e);
  assert.match(
    String((error as Error).message),
    /^share 3 \(share 3\): it belongs to bundle ZZZZ0000, not K3M9QX2A\. .*1 more is needed\.$/,
  );
  assert.equal((error as { code: string }).code, 'share-rejected');
  // Relabelled as this bundle (and re-checksummed, as a forger would), it still fails its commitment.
  const relabelled = decodeShare(encodeShare({ ...other.shares[2]!, bundleId: 'K3M9QX2A' }));
  await assert.rejects(combineShares(given([shares[0]!, shares[1]!, relabelled]), commitment), {
    code: 'share-rejected',
    message: /does not match the commitment recorded for share 3 of this set: it was forged or altered/,
  });
});

test('a forged share with a perfect checksum is caught at combine, and enough good ones still restore', async () => {
  const { secret, shares, commitment } = await threeOfFive();
  const forged: EscrowShare = { ...shares[4]!, data: new Uint8Array(randomBytes(33)) };
  assert.deepEqual(decodeShare(encodeShare(forged)), forged); // the typo checks cannot see it
  await assert.rejects(combineShares(given([shares[0]!, shares[1]!, forged]), commitment), {
    code: 'share-rejected',
    message: /share 5 \(share 5\): it does not match the commitment/,
  });
  const result = await combineShares(given([shares[0]!, shares[1]!, shares[2]!, forged]), commitment);
  assert.deepEqual(result.secret, secret);
  assert.deepEqual(result.used, [1, 2, 3]);
  assert.deepEqual(
    result.rejected.map((r) => r.index),
    [5],
  );
  // Without the commitment check the library would have combined the forgery into a wrong secret, silently.
  assert.notEqual(shareCommitment(forged), commitment.commitments[4]);
});

test('shares of a voided set are named as such', async () => {
  const old = await threeOfFive('K3M9QX2A', 1);
  const current = await threeOfFive('K3M9QX2A', 2);
  await assert.rejects(
    combineShares(given(old.shares.slice(0, 3)), current.commitment, { voided: [{ set: 1, voidedAt: '2026-12-01T10:00:00.000Z' }] }),
    { code: 'share-rejected', message: /share set 1, which a rekey voided on 2026-12-01; use shares of set 2/ },
  );
});

test('sizes outside 2 <= k <= n <= 20 are refused with a reason', async () => {
  const secret = new Uint8Array(32);
  await assert.rejects(splitSecret(secret, { bundleId: 'K3M9QX2A', set: 1, threshold: 1, shares: 3 }), {
    code: 'invalid-input',
    message: /every share alone would be the secret/,
  });
  await assert.rejects(splitSecret(secret, { bundleId: 'K3M9QX2A', set: 1, threshold: 4, shares: 3 }), { code: 'invalid-input' });
  await assert.rejects(splitSecret(secret, { bundleId: 'K3M9QX2A', set: 1, threshold: 2, shares: 21 }), { code: 'invalid-input' });
});
