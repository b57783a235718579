// What an escrow bundle is made of: the payload inside the age file (the key values with their metadata) and the
// manifest beside it (no values: the keys' fingerprints, the share set's commitments, custodians, versions).
import { z } from 'zod';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { EscrowKeyCheck, EscrowKeyMeta } from '../../../shared/domain/escrow.js';
import { KEY_KINDS } from '../../../shared/domain/key-kinds.js';
import { KEY_NAME_PATTERN } from '../../../shared/domain/key-names.js';
import { fingerprintOf, keyedFingerprint, publicFingerprintOf } from '../crypto/fingerprint.js';

export const PAYLOAD_FORMAT = 'keyturn-escrow-bundle/1';
export const MANIFEST_FORMAT = 'keyturn-escrow-manifest/1';
export const BUNDLE_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;
/** Letters (any script), digits, spaces and . _ ' -; names go on sheets, into file names (slugged) and the audit log. */
export const CUSTODIAN_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._'-]{0,63}$/u;

const keyMeta = z.strictObject({
  name: z.string().regex(KEY_NAME_PATTERN),
  version: z.number().int().min(1),
  kind: z.enum(KEY_KINDS),
  alg: z.string().min(1).max(16).optional(),
  fingerprint: z.string().min(8).max(128),
  /** When this version of the key was created (from the inventory). */
  created: z.string(),
}) satisfies z.ZodType<EscrowKeyMeta>;

const payloadSchema = z.strictObject({
  format: z.literal(PAYLOAD_FORMAT),
  bundleId: z.string().regex(BUNDLE_ID_PATTERN),
  version: z.number().int().min(1),
  created: z.string(),
  /** 32 random bytes (base64url) that this version's fingerprints of guessable values are keyed with; see escrowFingerprint. */
  fingerprintKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  keys: z.array(keyMeta.extend({ value: z.string().min(1) })).min(1),
});
export type BundlePayload = z.infer<typeof payloadSchema>;
export type EscrowKey = BundlePayload['keys'][number];

const custodian = z.strictObject({
  index: z.number().int().min(1),
  name: z.string().regex(CUSTODIAN_NAME_PATTERN),
  /** The custodian's age X25519 recipient when their share was encrypted to them. */
  recipient: z.string().startsWith('age1').optional(),
});
export type Custodian = z.infer<typeof custodian>;

const shareSet = z.strictObject({
  set: z.number().int().min(1).max(255),
  threshold: z.number().int().min(2),
  shares: z.number().int().min(2),
  created: z.string(),
  /** age recipient of the identity this set splits: a commitment to the secret, checked after every combine. */
  recipient: z.string().startsWith('age1'),
  custodians: z.array(custodian),
  commitments: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
});
export type ShareSetRecord = z.infer<typeof shareSet>;

const bundleVersion = z.strictObject({
  version: z.number().int().min(1),
  created: z.string(),
  /** File name of the age file, in the manifest's folder. */
  file: z.string().regex(/^[A-Za-z0-9._-]+\.age$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  keys: z.array(keyMeta).min(1),
});
export type BundleVersion = z.infer<typeof bundleVersion>;

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  bundleId: z.string().regex(BUNDLE_ID_PATTERN),
  created: z.string(),
  set: shareSet,
  voidedSets: z.array(shareSet.extend({ voidedAt: z.string(), replacedBy: z.number().int() })),
  versions: z.array(bundleVersion).min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function parseManifest(text: string, what: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyturnError('unreadable-input', `${what} is not JSON; it is not a Keyturn escrow manifest.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KeyturnError('unreadable-input', `${what} is not a valid escrow manifest (at ${issue?.path.join('.') || 'the top'}).`);
  }
  const m = parsed.data;
  if (m.set.commitments.length !== m.set.shares || m.set.threshold > m.set.shares)
    throw new KeyturnError('unreadable-input', `${what} is inconsistent: its share set does not add up.`);
  return m;
}

/** Parses the decrypted payload; the version and bundle id must be the ones the manifest promised. */
export function parsePayload(bytes: Uint8Array, expect: { bundleId: string; version: number }): BundlePayload {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new KeyturnError('check-failed', 'The decrypted bundle is not a Keyturn escrow bundle (not JSON).');
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) throw new KeyturnError('check-failed', 'The decrypted bundle is not a Keyturn escrow bundle (unexpected layout).');
  if (parsed.data.bundleId !== expect.bundleId || parsed.data.version !== expect.version)
    throw new KeyturnError(
      'check-failed',
      `The decrypted bundle is ${parsed.data.bundleId} version ${parsed.data.version}, not ${expect.bundleId} version ${expect.version}: the files were mixed up.`,
    );
  return parsed.data;
}

/**
 * A key's fingerprint in a bundle, its manifest and on the sheets. A bundle is opened on other machines, so it cannot
 * use this installation's keyed form: it takes the public form where one is safe (key pairs, values with 100+ bits),
 * and otherwise an HMAC under the bundle version's own random key, which only those who open the bundle hold; a
 * guessable value's fingerprint on a printed sheet then tests no guesses.
 */
export function escrowFingerprint(fingerprintKey: string, kind: EscrowKey['kind'], value: string): string {
  return publicFingerprintOf(kind, value) ?? keyedFingerprint(Buffer.from(fingerprintKey, 'base64url'), fingerprintOf(kind, value));
}

/** Recomputes every key's fingerprint from its value and compares it with the payload's and the manifest's record. */
export function checkFingerprints(payload: BundlePayload, recorded: EscrowKeyMeta[]): EscrowKeyCheck[] {
  return payload.keys.map((key) => {
    const listed = recorded.find((r) => r.name === key.name && r.version === key.version);
    let seen: string;
    try {
      seen = escrowFingerprint(payload.fingerprintKey, key.kind, key.value);
    } catch {
      seen = '';
    }
    return {
      name: key.name,
      version: key.version,
      fingerprint: key.fingerprint,
      ok: seen === key.fingerprint && listed?.fingerprint === seen,
    };
  });
}

export function metaOf(key: EscrowKey): EscrowKeyMeta {
  const { value: _value, ...meta } = key;
  return meta;
}
