// From a push request to the secrets it writes: which keys go to which secret (one each, one named, or a bundle
// keyed by env-var names), the tags and content type each write carries, and its idempotency token. No values here.
import { createHash } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRecord, KeyVersionRecord, PushRecord } from '../../../shared/domain/inventory.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import type { KeyKind } from '../../../shared/domain/key-kinds.js';
import type { PlanInput } from '../../../shared/push/push-plan.js';
import type { PushRequest } from '../../../shared/push/push-types.js';
import { assertSecretName, defaultSecretName } from '../../../shared/push/secret-names.js';
import type { Target } from '../../../shared/push/targets.js';
import { envVarHint, findVersion } from './vault-rules.js';

export interface Member {
  record: KeyRecord;
  version: KeyVersionRecord;
  field?: string;
}

export interface SecretGroup {
  secret: string;
  mappedFrom?: string;
  bundle: boolean;
  members: Member[];
}

const CONTENT_TYPES: Record<KeyKind, string> = {
  fernet: 'application/x-fernet-key',
  secret: 'text/plain',
  'jwt-hmac': 'text/plain',
  'jwt-rsa': 'application/x-pem-file',
  'jwt-ec': 'application/x-pem-file',
  'jwt-ed25519': 'application/x-pem-file',
};

/** The keys of a request, each at the version asked for (default current); retired versions cannot be pushed. */
export function resolveMembers(records: KeyRecord[], refs: KeyRef[]): Member[] {
  if (refs.length === 0) throw new KeyturnError('usage', 'Name at least one key to push.');
  return refs.map((ref) => {
    const record = records.find((r) => r.name === ref.name);
    if (!record)
      throw new KeyturnError('not-found', `No key named "${ref.name}" is in the inventory; run "keyturn keys list" to see the names.`);
    const version = findVersion(record, ref.version ?? record.current);
    if (version.status === 'retired') {
      throw new KeyturnError(
        'refused',
        `${record.name}@v${version.version} is retired and no longer in the keychain; push v${record.current}.`,
      );
    }
    return { record, version };
  });
}

export function groupSecrets(target: Target, members: Member[], request: PushRequest): SecretGroup[] {
  const names = new Set<string>();
  for (const m of members) {
    if (names.has(m.record.name)) throw new KeyturnError('usage', `${m.record.name} is named twice; push one version of a key at a time.`);
    names.add(m.record.name);
  }
  if (request.bundle !== undefined && request.secretName !== undefined) {
    throw new KeyturnError(
      'usage',
      'Use either --secret-name (one key, one secret) or --bundle (several keys, one JSON secret), not both.',
    );
  }
  if (request.bundle !== undefined) {
    const secret = assertSecretName(target.kind, request.bundle);
    const fields = new Map<string, string>();
    const withFields = members.map((m) => {
      const field = m.record.envVar ?? envVarHint(m.record.name);
      const other = fields.get(field);
      if (other)
        throw new KeyturnError('usage', `${other} and ${m.record.name} both go to field ${field}; give one of them another env-var hint.`);
      fields.set(field, m.record.name);
      return { ...m, field };
    });
    return [{ secret, bundle: true, members: withFields }];
  }
  if (request.secretName !== undefined) {
    if (members.length !== 1)
      throw new KeyturnError('usage', '--secret-name takes one key; use --bundle to put several keys into one secret.');
    return [{ secret: assertSecretName(target.kind, request.secretName), bundle: false, members }];
  }
  const seen = new Map<string, string>();
  return members.map((m) => {
    const secret = assertSecretName(target.kind, defaultSecretName(target.kind, m.record.name));
    const other = seen.get(secret);
    if (other)
      throw new KeyturnError('usage', `${other} and ${m.record.name} both map to the secret ${secret}; name one with --secret-name.`);
    seen.set(secret, m.record.name);
    return { secret, ...(secret !== m.record.name ? { mappedFrom: m.record.name } : {}), bundle: false, members: [m] };
  });
}

/** The last push of a member's key to this target, secret and field, with the fingerprint of the version pushed then. */
export function lastPushOf(target: string, group: SecretGroup, member: Member): PlanInput['lastPush'] {
  let best: { push: PushRecord; version: KeyVersionRecord } | undefined;
  for (const v of member.record.versions) {
    for (const push of v.pushes ?? []) {
      if (push.target !== target || push.secret !== group.secret || push.field !== member.field) continue;
      if (!best || v.version > best.version.version) best = { push, version: v };
    }
  }
  return best
    ? { remoteVersion: best.push.remoteVersion, fingerprint: best.version.fingerprint, version: best.version.version }
    : undefined;
}

export function planInputs(target: string, group: SecretGroup): PlanInput[] {
  return group.members.map((m) => {
    const last = lastPushOf(target, group, m);
    return {
      key: m.record.name,
      version: m.version.version,
      fingerprint: m.version.fingerprint,
      ...(m.field !== undefined ? { field: m.field } : {}),
      ...(last ? { lastPush: last } : {}),
    };
  });
}

/**
 * The idempotency token: the same keys at the same versions into the same secret (and, for a bundle, merged into the
 * same remote version) always give the same token, so a retried push never makes a second version. Built from
 * fingerprints and names only, formatted as a UUID (AWS takes 32-64 characters).
 */
export function requestToken(target: string, group: SecretGroup, baseVersion: string | undefined): string {
  const parts = [
    'keyturn-push-v1',
    target,
    group.secret,
    ...group.members.map((m) => `${m.field ?? ''}=${m.record.name}@v${m.version.version}:${m.version.fingerprint}`),
  ];
  if (group.bundle) parts.push(baseVersion ?? '');
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Tags every write carries (AWS tag values allow letters, digits, spaces and _ . : / = + - @). */
export function tagsFor(group: SecretGroup): Record<string, string> {
  if (!group.bundle) {
    const m = group.members[0]!;
    return { 'keyturn:key': m.record.name, 'keyturn:version': String(m.version.version), 'keyturn:fingerprint': m.version.fingerprint };
  }
  return {
    'keyturn:bundle': 'true',
    'keyturn:keys': group.members
      .map((m) => `${m.record.name}@v${m.version.version}`)
      .join(' ')
      .slice(0, 256),
  };
}

export function contentTypeFor(group: SecretGroup): string {
  return group.bundle ? 'application/json' : CONTENT_TYPES[group.members[0]!.record.kind];
}

/** How the audit log names where a value went: "TARGET:SECRET". */
export function auditTarget(target: string, secret: string): string {
  return `${target}:${secret}`;
}
