// Drift between the inventory's push records and the targets: each pushed key's latest push is read back (one read
// per secret, however many keys a bundle holds) and classified as in-sync, remote-changed, missing or local-newer.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { KeyRecord, PushRecord } from '../../../shared/domain/inventory.js';
import { classifyDrift } from '../../../shared/push/drift.js';
import type { PushStatusItem, PushStatusReport } from '../../../shared/push/push-types.js';
import type { TargetFactory } from '../cloud/create-target.js';
import type { SecretReading, SecretTarget } from '../cloud/secret-target.js';
import { mapLimit } from '../envcheck/map-limit.js';
import type { TargetsStore } from '../store/targets-file.js';
import { observeRemote, type Fingerprinter } from './push-remote.js';
import type { CloudCall } from './push-cloud-call.js';
import type { VaultService } from './vault-service.js';

export interface StatusDeps {
  vault: VaultService;
  targets: TargetsStore;
  createTarget: TargetFactory;
  fingerprint: Fingerprinter;
  concurrency: number;
  call: CloudCall;
  target?: string;
}

interface Latest {
  record: KeyRecord;
  version: number;
  push: PushRecord;
}

/** Per key, per (target, secret, field): the push of the highest version. */
function latestPushes(records: KeyRecord[], only?: string): Latest[] {
  const out = new Map<string, Latest>();
  for (const record of records) {
    for (const v of record.versions) {
      for (const push of v.pushes ?? []) {
        if (only !== undefined && push.target !== only) continue;
        const id = JSON.stringify([record.name, push.target, push.secret, push.field ?? null]);
        const seen = out.get(id);
        if (!seen || v.version > seen.version) out.set(id, { record, version: v.version, push });
      }
    }
  }
  return [...out.values()];
}

/** One read per secret and stage: a staged (pending) push is checked at its own version, a current one at AWSCURRENT. */
function readKey(l: Latest): string {
  return JSON.stringify([l.push.target, l.push.secret, l.push.stage === 'pending' ? l.push.remoteVersion : 'current']);
}

export async function pushStatus(deps: StatusDeps, signal?: AbortSignal): Promise<PushStatusReport> {
  const records = await deps.vault.list();
  const latest = latestPushes(records, deps.target);
  const known = new Map((await deps.targets.list()).map((t) => [t.name, t]));
  if (deps.target !== undefined && !known.has(deps.target)) await deps.targets.get(deps.target); // throws not-found naming the targets
  const clients = new Map<string, SecretTarget>();
  const reads = new Map<string, Latest>();
  for (const l of latest) if (!reads.has(readKey(l))) reads.set(readKey(l), l);
  const readings = new Map<string, SecretReading | KeyturnError>();
  await mapLimit([...reads], deps.concurrency, async ([id, l]) => {
    const target = known.get(l.push.target);
    if (!target) {
      readings.set(
        id,
        new KeyturnError('not-found', `The target ${l.push.target} was removed from targets.json; add it again to check ${l.push.secret}.`),
      );
      return;
    }
    let client = clients.get(target.name);
    if (!client) clients.set(target.name, (client = deps.createTarget(target)));
    try {
      const reading = await deps.call(target, signal, (s) =>
        client.read(l.push.secret, l.push.stage === 'pending' ? { versionId: l.push.remoteVersion, signal: s } : { signal: s }),
      );
      readings.set(id, reading);
    } catch (error) {
      if (!(error instanceof KeyturnError)) throw error;
      // Offline, cancelled and the like stop the whole check; a single unreadable secret does not.
      if (['offline', 'cancelled', 'no-credentials'].includes(error.code)) throw error;
      readings.set(id, error);
    }
  });
  const items: PushStatusItem[] = [];
  for (const l of latest) {
    const reading = readings.get(readKey(l))!;
    const version = l.record.versions.find((v) => v.version === l.version)!;
    const item: PushStatusItem = {
      key: l.record.name,
      version: l.version,
      localCurrent: l.record.current,
      target: l.push.target,
      secret: l.push.secret,
      ...(l.push.field !== undefined ? { field: l.push.field } : {}),
      stage: l.push.stage,
      remoteVersion: l.push.remoteVersion,
      pushedAt: l.push.at,
    };
    if (reading instanceof KeyturnError) {
      items.push({ ...item, error: { code: reading.code, message: reading.message } });
      continue;
    }
    const bundle = l.push.field !== undefined;
    const remote = await observeRemote(
      reading,
      { bundle, kinds: new Map(bundle ? [[l.push.field!, l.record.kind]] : []), kind: l.record.kind },
      deps.fingerprint,
    );
    const state = classifyDrift({
      pushedVersion: l.version,
      pushedFingerprint: version.fingerprint,
      recordedRemoteVersion: l.push.remoteVersion,
      localCurrent: l.record.current,
      bundle,
      ...(bundle ? { field: l.push.field! } : {}),
      remote,
    });
    items.push({ ...item, state });
  }
  items.sort((a, b) => a.key.localeCompare(b.key) || a.target.localeCompare(b.target) || a.secret.localeCompare(b.secret));
  const pushed = new Set(records.filter((r) => r.versions.some((v) => (v.pushes ?? []).length > 0)).map((r) => r.name));
  return {
    items,
    notPushed: records.filter((r) => !pushed.has(r.name)).map((r) => r.name),
    drift: items.some((i) => i.state !== 'in-sync'),
  };
}
