// The plan from fingerprints: create, update, unchanged, conflict, bundles, soft-deleted secrets; and drift states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyDrift } from './drift.js';
import { planItem, writes, type PlanInput, type RemoteObservation } from './push-plan.js';

const v1: PlanInput = { key: 'PII_ENC_KEY', version: 1, fingerprint: 'sha256:one' };
const v2: PlanInput = {
  key: 'PII_ENC_KEY',
  version: 2,
  fingerprint: 'sha256:two',
  lastPush: { remoteVersion: 'r1', fingerprint: 'sha256:one', version: 1 },
};
const present = (fingerprint: string, versionId = 'r1'): RemoteObservation => ({ state: 'present', versionId, fingerprint });

test('absent -> create; same fingerprint -> unchanged; different -> update', () => {
  const create = planItem({ secret: 's', bundle: false, stage: 'current', inputs: [v1], remote: { state: 'absent' } });
  assert.equal(create.action, 'create');
  assert.equal(create.entries[0]!.change, 'add');
  assert.ok(writes(create));
  const same = planItem({ secret: 's', bundle: false, stage: 'current', inputs: [v1], remote: present('sha256:one') });
  assert.equal(same.action, 'unchanged');
  assert.equal(same.remoteVersion, 'r1');
  assert.ok(!writes(same));
  const update = planItem({ secret: 's', bundle: false, stage: 'current', inputs: [v2], remote: present('sha256:one') });
  assert.equal(update.action, 'update');
  assert.deepEqual(update.entries[0], {
    key: 'PII_ENC_KEY',
    version: 2,
    fingerprint: 'sha256:two',
    remoteFingerprint: 'sha256:one',
    change: 'replace',
  });
});

test('a remote value Keyturn did not write (neither this version nor the last pushed) is a conflict unless forced', () => {
  const conflict = planItem({ secret: 's', bundle: false, stage: 'current', inputs: [v2], remote: present('sha256:someone', 'r9') });
  assert.equal(conflict.action, 'conflict');
  assert.equal(conflict.code, 'conflict');
  assert.match(conflict.reason!, /changed at the target since Keyturn pushed PII_ENC_KEY@v1.*--force/);
  const forced = planItem({ secret: 's', bundle: false, stage: 'current', inputs: [v2], remote: present('sha256:someone'), force: true });
  assert.equal(forced.action, 'update');
  // Never pushed before: the user named this secret, so replacing its value is a plain update.
  const first = planItem({ secret: 's', bundle: false, stage: 'current', inputs: [v1], remote: present('sha256:other') });
  assert.equal(first.action, 'update');
});

test('a soft-deleted secret is a conflict with its own code, or an update with recovery when asked', () => {
  const deleted = planItem({ secret: 'pii-enc-key', bundle: false, stage: 'current', inputs: [v1], remote: { state: 'deleted' } });
  assert.equal(deleted.action, 'conflict');
  assert.equal(deleted.code, 'deleted-recoverable');
  assert.match(deleted.reason!, /recover it \(--recover\) or purge it/);
  const recover = planItem({
    secret: 'pii-enc-key',
    bundle: false,
    stage: 'current',
    inputs: [v1],
    remote: { state: 'deleted' },
    recover: true,
  });
  assert.equal(recover.action, 'update');
  assert.equal(recover.recover, true);
});

test('bundles: per-field changes, kept fields counted, a non-object is a conflict', () => {
  const inputs: PlanInput[] = [
    { ...v1, field: 'PII_ENC_KEY' },
    { key: 'SECRET_KEY', version: 1, fingerprint: 'sha256:s1', field: 'SECRET_KEY' },
  ];
  const fields = new Map([
    ['PII_ENC_KEY', 'sha256:one'],
    ['DATABASE_URL', 'sha256:db'],
  ]);
  const merge = planItem({
    secret: 'app/prod',
    bundle: true,
    stage: 'current',
    inputs,
    remote: { state: 'present', versionId: 'r1', fields },
  });
  assert.equal(merge.action, 'update');
  assert.deepEqual(
    merge.entries.map((e) => [e.field, e.change]),
    [
      ['PII_ENC_KEY', 'same'],
      ['SECRET_KEY', 'add'],
    ],
  );
  assert.equal(merge.keptFields, 1);
  const allSame = planItem({
    secret: 'app/prod',
    bundle: true,
    stage: 'current',
    inputs: [inputs[0]!],
    remote: { state: 'present', versionId: 'r1', fields },
  });
  assert.equal(allSame.action, 'unchanged');
  const notObject = planItem({ secret: 'app/prod', bundle: true, stage: 'current', inputs, remote: { state: 'present', versionId: 'r1' } });
  assert.equal(notObject.action, 'conflict');
  assert.equal(notObject.code, 'conflict');
});

test('drift: in-sync, remote-changed, missing and local-newer', () => {
  const base = { pushedVersion: 1, pushedFingerprint: 'sha256:one', recordedRemoteVersion: 'r1', localCurrent: 1, bundle: false };
  assert.equal(classifyDrift({ ...base, remote: present('sha256:one') }), 'in-sync');
  assert.equal(classifyDrift({ ...base, remote: present('sha256:x', 'r2') }), 'remote-changed');
  assert.equal(classifyDrift({ ...base, remote: present('sha256:one', 'r2') }), 'remote-changed');
  assert.equal(classifyDrift({ ...base, remote: { state: 'absent' } }), 'missing');
  assert.equal(classifyDrift({ ...base, remote: { state: 'deleted' } }), 'missing');
  assert.equal(classifyDrift({ ...base, localCurrent: 2, remote: present('sha256:one') }), 'local-newer');
  // A remote change wins over local-newer: the user must look at the target first.
  assert.equal(classifyDrift({ ...base, localCurrent: 2, remote: present('sha256:x', 'r2') }), 'remote-changed');
  const bundle = { ...base, bundle: true, field: 'A' };
  const fields = (fp?: string) => ({ state: 'present' as const, versionId: 'r7', fields: new Map(fp ? [['A', fp]] : []) });
  assert.equal(
    classifyDrift({ ...bundle, remote: fields('sha256:one') }),
    'in-sync',
    'another field changing the bundle version is not drift',
  );
  assert.equal(classifyDrift({ ...bundle, remote: fields('sha256:z') }), 'remote-changed');
  assert.equal(classifyDrift({ ...bundle, remote: fields() }), 'missing');
});
