// Opening a bundle with shares: read each share, check it against the set's commitments, combine, check the result
// against the set's public key, decrypt the bundle versions and recompute every key's fingerprint. Used by the drill
// (nothing leaves), restore and rekey alike, so all three prove the same thing.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { decryptAge, identityOfSecret, recipientOfSecret } from './age-crypto.js';
import { readBundleVersion, versionOf, type LocatedBundle } from './bundle-files.js';
import type { EscrowKeyCheck } from '../../../shared/domain/escrow.js';
import { checkFingerprints, parsePayload, type BundlePayload } from './bundle-model.js';
import { readShares, type ShareSource } from './share-input.js';
import { combineShares, type Rejection } from './share-set.js';

export interface OpenedVersion {
  version: number;
  payload: BundlePayload;
  checks: EscrowKeyCheck[];
}

export interface OpenedBundle {
  /** The set's age identity (AGE-SECRET-KEY-1...): as secret as the keys themselves. */
  identity: string;
  used: number[];
  /** Shares given but set aside (enough others restored the bundle). */
  rejected: Rejection[];
  versions: OpenedVersion[];
}

export interface OpenOptions {
  sources: ShareSource[];
  /** Custodians' age identities, for shares encrypted to them. */
  identities?: string[];
  /** One version (default: the latest), or every version (the drill and rekey). */
  versions?: number | 'all';
}

export async function openBundle(located: LocatedBundle, options: OpenOptions): Promise<OpenedBundle> {
  const { manifest } = located;
  const { given, unreadable } = await readShares(options.sources, options.identities ?? []);
  const combined = await combineShares(
    given,
    { ...manifest.set, bundleId: manifest.bundleId },
    { voided: manifest.voidedSets.map((v) => ({ set: v.set, voidedAt: v.voidedAt })) },
    unreadable,
  );
  if ((await recipientOfSecret(combined.secret)) !== manifest.set.recipient)
    throw new KeyturnError(
      'share-rejected',
      `The shares combine to a key that does not match bundle ${manifest.bundleId}'s public key: a share was forged in a way its commitment did not show, or the manifest was altered. Try another combination of shares.`,
    );
  const identity = identityOfSecret(combined.secret);
  const entries = options.versions === 'all' ? manifest.versions : [versionOf(manifest, options.versions)];
  const versions: OpenedVersion[] = [];
  for (const entry of entries) {
    const file = await readBundleVersion(located.dir, entry);
    const plain = await decryptAge(file, [identity], `Bundle file ${entry.file}`);
    const payload = parsePayload(plain, { bundleId: manifest.bundleId, version: entry.version });
    const checks = checkFingerprints(payload, entry.keys);
    const listed = new Set(entry.keys.map((k) => `${k.name}@v${k.version}`));
    const inside = new Set(payload.keys.map((k) => `${k.name}@v${k.version}`));
    const missing = [...listed].filter((k) => !inside.has(k));
    const bad = checks.filter((c) => !c.ok).map((c) => `${c.name}@v${c.version}`);
    if (missing.length > 0 || bad.length > 0 || inside.size !== listed.size)
      throw new KeyturnError(
        'check-failed',
        `Bundle ${manifest.bundleId} v${entry.version} opened, but ${
          [...bad.map((k) => `${k} does not match its recorded fingerprint`), ...missing.map((k) => `${k} is missing`)].join('; ') ||
          'its keys differ from the manifest'
        }. Nothing was imported or written.`,
      );
    versions.push({ version: entry.version, payload, checks });
  }
  return { identity, used: combined.used, rejected: combined.rejected, versions };
}
