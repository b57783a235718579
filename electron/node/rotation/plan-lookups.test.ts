// The rotation service as compose wires it: push targets from targets.json fitted to where each key was really pushed
// (real pushes to the loopback Secrets Manager, recorded in the inventory), and escrow facts from the bundles this
// machine made (real age bundles named by their audit lines). Plans push where the application reads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PlanStep } from '../../../shared/rotation/types.js';
import { startPushFixture, type PushFixture } from '../../../test/support/push-fixture.js';
import { filesHoldingSecrets } from '../../../test/support/secret-scan.js';
import { compose, type Services } from '../compose.js';

let f: PushFixture;
let services: Services;

const cloudSteps = (steps: PlanStep[]) =>
  steps
    .filter((s) => s.action?.op === 'push' || s.action?.op === 'promote')
    .map((s) => ({ action: s.action, command: s.command, runner: s.runner.mode }));

before(async () => {
  f = await startPushFixture();
  const aws = await f.targets.get('aws');
  await f.targets.add({ ...aws, name: 'aws-solo' });
  services = compose({ config: { home: f.home.home, keychainService: `keyturn-push-test-${process.pid}` } });
  for (const name of ['pii-enc-key', 'solo-key', 'other-key', 'fresh-key', 'escrowed-key'])
    f.canaries.push((await f.vault.generateAndStore({ name, options: { kind: 'fernet' } })).key.secret);
  await f.push.push({ keys: [{ name: 'pii-enc-key' }, { name: 'other-key' }], target: 'aws', bundle: 'app/prod' });
  await f.push.push({ keys: [{ name: 'solo-key' }], target: 'aws-solo', secretName: 'custom/solo' });
  await f.push.push({ keys: [{ name: 'other-key' }], target: 'aws-solo' });
});
after(async () => {
  await f?.stop();
});

test('a plan pushes each key where it was pushed before: the same bundle, the same named secret, else the default name', async () => {
  const bundled = await services.rotation.plan({ keys: ['pii-enc-key'], targets: ['aws'], id: 'bundled' });
  assert.deepEqual(cloudSteps(bundled.plan.steps), [
    {
      action: { op: 'push', key: 'pii-enc-key', version: 2, target: 'aws', stage: 'pending', bundle: 'app/prod' },
      command: 'keyturn push pii-enc-key@v2 --to aws --bundle app/prod --stage pending --yes',
      runner: 'automatic',
    },
    {
      action: { op: 'promote', key: 'pii-enc-key', version: 2, target: 'aws' },
      command: 'keyturn push promote pii-enc-key@v2 --to aws',
      runner: 'automatic',
    },
  ]);
  const both = await services.rotation.plan({ keys: ['pii-enc-key', 'other-key'], targets: ['aws'], id: 'both' });
  assert.equal(cloudSteps(both.plan.steps).filter((s) => s.action?.op === 'push' && s.action.bundle === 'app/prod').length, 2);

  const named = await services.rotation.plan({ keys: ['solo-key'], targets: ['aws-solo'], id: 'named' });
  assert.equal(
    cloudSteps(named.plan.steps)[0]!.command,
    'keyturn push solo-key@v2 --to aws-solo --secret-name custom/solo --stage pending --yes',
  );
  for (const [key, target] of [
    ['fresh-key', 'aws'],
    ['other-key', 'aws-solo'],
  ] as const) {
    const plain = await services.rotation.plan({ keys: [key], targets: [target], id: `plain-${key}` });
    assert.deepEqual(cloudSteps(plain.plan.steps)[0]!.action, { op: 'push', key, version: 2, target, stage: 'pending' });
  }
});

test('keys that went to different places at one target, an unknown target, or a changed bundle field are refused', async () => {
  await assert.rejects(services.rotation.plan({ keys: ['pii-enc-key', 'fresh-key'], targets: ['aws'] }), {
    code: 'usage',
    message: 'At aws, pii-enc-key goes to the bundle app/prod and fresh-key to its default secret name; plan them separately.',
  });
  await assert.rejects(services.rotation.plan({ keys: ['fresh-key'], targets: ['nope'] }), {
    code: 'not-found',
    message: /there are aws, aws-solo/,
  });
  // The bundle field comes from the env-var hint; a hint changed since the push would fill another field of the bundle.
  await f.home.locked(async () => {
    const inventory = await f.home.readInventory();
    await f.home.writeInventory({
      ...inventory,
      keys: inventory.keys.map((k) => (k.name === 'other-key' ? { ...k, envVar: 'RENAMED_KEY' } : k)),
    });
  });
  await assert.rejects(services.rotation.plan({ keys: ['other-key'], targets: ['aws'] }), {
    code: 'refused',
    message: /other-key was pushed to field OTHER_KEY of app\/prod at aws, but a push now fills RENAMED_KEY/,
  });
});

test('escrow facts come from the bundles made here that still exist; no share or value is read', async () => {
  const dir = mkdtempSync(join(f.dir, 'escrow-'));
  const kept = await services.escrow.create({ keys: [{ name: 'escrowed-key' }], threshold: 2, shareCount: 3, outDir: join(dir, 'kept') });
  const gone = await services.escrow.create({
    keys: [{ name: 'escrowed-key' }, { name: 'fresh-key' }],
    threshold: 2,
    shareCount: 3,
    outDir: join(dir, 'gone'),
  });
  rmSync(join(dir, 'gone'), { recursive: true });
  const before = (await f.home.audit.entries()).length;
  const plan = await services.rotation.plan({ keys: ['escrowed-key', 'fresh-key'], id: 'escrowed' });
  const escrowSteps = plan.plan.steps.filter((s) => s.action?.op === 'escrow-update');
  assert.deepEqual(
    escrowSteps.map((s) => [s.key, s.action, s.runner.mode]),
    [
      ['escrowed-key', { op: 'escrow-update', key: 'escrowed-key', version: 2, bundle: kept.manifest }, 'automatic'],
      // fresh-key's only bundle is gone: a first escrow again, which needs its custodians.
      ['fresh-key', { op: 'escrow-update', key: 'fresh-key', version: 2 }, 'manual'],
    ],
  );
  assert.notEqual(gone.manifest, kept.manifest);
  // A value read leaves an audit line: making the plan left only its own.
  assert.deepEqual(
    (await f.home.audit.entries()).slice(before).map((e) => e.action),
    ['rotate-plan'],
  );
  assert.deepEqual(filesHoldingSecrets(f.home.home, f.canaries), []);
});
