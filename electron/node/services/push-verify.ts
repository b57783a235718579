// Read-back after every write: the version at the stage written must be the one the write returned, holding exactly
// what was sent (fingerprint of a single key; the whole text of a bundle, so kept fields are proven kept too).
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { PushStage } from '../../../shared/push/push-plan.js';
import type { Target } from '../../../shared/push/targets.js';
import type { SecretTarget } from '../cloud/secret-target.js';
import type { CloudCall } from './push-cloud-call.js';
import { safeFingerprint, type Fingerprinter } from './push-remote.js';
import type { SecretGroup } from './push-secrets.js';

export interface WrittenSecret {
  target: Target;
  client: SecretTarget;
  group: SecretGroup;
  stage: PushStage;
  versionId: string;
  payload: string;
}

export async function verifyWrite(
  deps: { call: CloudCall; fingerprint: Fingerprinter },
  written: WrittenSecret,
  signal: AbortSignal,
): Promise<void> {
  const { call, fingerprint } = deps;
  const { target, client, group, versionId, payload } = written;
  const where = `${group.secret} at ${target.name}`;
  const stage = written.stage === 'pending' ? 'pending' : 'current';
  const first = group.members[0]!;
  const holds = async (value: string) =>
    group.bundle ? value === payload : (await safeFingerprint(fingerprint, first.record.kind, value)) === first.version.fingerprint;
  let back = await call(target, signal, (s) => client.read(group.secret, { stage, signal: s }));
  if (back.state === 'present' && back.version.versionId !== versionId && target.kind === 'aws' && stage === 'current') {
    // The same push was made before (same token, so the same version), and something else became current since:
    // PutSecretValue then leaves the labels alone, so move AWSCURRENT back to the version this push stands for.
    const own = await call(target, signal, (s) => client.read(group.secret, { versionId, signal: s }));
    if (own.state === 'present' && (await holds(own.version.value))) {
      await call(target, signal, (s) => client.promote(group.secret, versionId, s));
      back = await call(target, signal, (s) => client.read(group.secret, { stage, signal: s }));
    }
  }
  if (back.state !== 'present') {
    throw new KeyturnError(
      'readback-mismatch',
      `Read-back failed: ${where} was not there right after the write; nothing was recorded. Check the target and push again.`,
    );
  }
  if (back.version.versionId !== versionId) {
    throw new KeyturnError(
      'readback-mismatch',
      `Read-back failed: ${where} holds version ${back.version.versionId} as ${stage}, not the version just written (${versionId}); another write landed at the same time. Nothing was recorded; run "keyturn push status" and push again.`,
    );
  }
  if (await holds(back.version.value)) return;
  const seen = group.bundle
    ? 'a bundle whose content differs from what was sent'
    : `a value with fingerprint ${await safeFingerprint(fingerprint, first.record.kind, back.version.value)}, not ${first.version.fingerprint}`;
  throw new KeyturnError(
    'readback-mismatch',
    `Read-back failed: after writing ${group.members.map((m) => `${m.record.name}@v${m.version.version}`).join(', ')} to ${where}, the target returned ${seen}: it stores something else than what Keyturn sent. Nothing was recorded; check the target (a proxy or rotation function may change values) before pushing again.`,
  );
}
