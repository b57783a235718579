// What a target holds, as the plan and drift need it: fingerprints of the remote value read as each key's kind. The
// value itself stays in memory for a bundle merge and is never returned, logged or written anywhere else.
import type { KeyKind } from '../../../shared/domain/key-kinds.js';
import { parseBundle } from '../../../shared/push/bundle-json.js';
import type { RemoteObservation } from '../../../shared/push/push-plan.js';
import type { SecretReading } from '../cloud/secret-target.js';

export type Fingerprinter = (kind: KeyKind, value: string) => string | Promise<string>;

/** A fingerprint that never throws: a value that is not a key of this kind reads as 'unreadable', which matches nothing. */
export async function safeFingerprint(fingerprint: Fingerprinter, kind: KeyKind, value: string): Promise<string> {
  try {
    return await fingerprint(kind, value);
  } catch {
    return 'unreadable';
  }
}

/** The kind each field (bundle) or the whole value (single secret) is read as. */
export interface ObservedKeys {
  bundle: boolean;
  kinds: ReadonlyMap<string, KeyKind>;
  /** A single secret's kind. */
  kind?: KeyKind;
}

export async function observeRemote(reading: SecretReading, keys: ObservedKeys, fingerprint: Fingerprinter): Promise<RemoteObservation> {
  if (reading.state !== 'present') return { state: reading.state };
  const { versionId, value } = reading.version;
  if (!keys.bundle) return { state: 'present', versionId, fingerprint: await safeFingerprint(fingerprint, keys.kind!, value) };
  let fields: Map<string, unknown>;
  try {
    fields = parseBundle(value).fields;
  } catch {
    return { state: 'present', versionId };
  }
  const prints = new Map<string, string>();
  for (const [name, fieldValue] of fields) {
    const kind = keys.kinds.get(name);
    // Other fields are not fingerprinted: only their names count (as fields kept as they are).
    prints.set(name, kind && typeof fieldValue === 'string' ? await safeFingerprint(fingerprint, kind, fieldValue) : 'other');
  }
  return { state: 'present', versionId, fields: prints };
}
