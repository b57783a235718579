// `push promote`: each key's staged (AWSPENDING) push becomes current, is read back and checked by fingerprint, and
// its inventory record moves to stage current; one audit line per promotion.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import type { PromoteResult } from '../../../shared/push/push-types.js';
import type { TargetFactory } from '../cloud/create-target.js';
import type { TargetsStore } from '../store/targets-file.js';
import type { Audited } from './audited.js';
import type { CloudCall } from './push-cloud-call.js';
import { observeRemote, type Fingerprinter } from './push-remote.js';
import { auditTarget, resolveMembers } from './push-secrets.js';
import type { VaultService } from './vault-service.js';

export interface PromoteDeps {
  vault: VaultService;
  targets: TargetsStore;
  createTarget: TargetFactory;
  fingerprint: Fingerprinter;
  call: CloudCall;
  audited: Audited;
  now: () => Date;
}

export async function promoteStaged(
  deps: PromoteDeps,
  request: { target: string; keys: KeyRef[] },
  signal?: AbortSignal,
): Promise<PromoteResult> {
  const { vault, call, audited, now } = deps;
  const target = await deps.targets.get(request.target);
  const client = deps.createTarget(target);
  const items: PromoteResult['items'] = [];
  for (const m of resolveMembers(await vault.list(), request.keys)) {
    const pending = (m.version.pushes ?? []).filter((p) => p.target === target.name && p.stage === 'pending');
    if (pending.length === 0) {
      throw new KeyturnError(
        'not-found',
        `${m.record.name}@v${m.version.version} has no staged push at ${target.name}; push it with --stage pending first.`,
      );
    }
    for (const push of pending) {
      const where = auditTarget(target.name, push.secret);
      await audited(
        { action: 'promote', key: m.record.name, version: m.version.version, target: where, outcome: 'ok' },
        async () => {
          await call(target, signal, (s) => client.promote(push.secret, push.remoteVersion, s));
          const back = await call(target, signal, (s) => client.read(push.secret, { signal: s }));
          const bundle = push.field !== undefined;
          const seen = await observeRemote(
            back,
            { bundle, kinds: new Map(bundle ? [[push.field!, m.record.kind]] : []), kind: m.record.kind },
            deps.fingerprint,
          );
          const print = seen.state !== 'present' ? undefined : bundle ? seen.fields?.get(push.field!) : seen.fingerprint;
          if (seen.state !== 'present' || seen.versionId !== push.remoteVersion || print !== m.version.fingerprint) {
            throw new KeyturnError(
              'readback-mismatch',
              `Read-back failed: after promoting, ${where} does not hold ${m.record.name}@v${m.version.version} as current. Run "keyturn push status".`,
            );
          }
          await vault.recordPushes(
            [{ name: m.record.name, version: m.version.version, push: { ...push, stage: 'current', at: now().toISOString() } }],
            signal,
          );
        },
        { lock: false, signal },
      );
      items.push({ key: m.record.name, version: m.version.version, secret: push.secret, versionId: push.remoteVersion });
    }
  }
  return { target: target.name, items };
}
