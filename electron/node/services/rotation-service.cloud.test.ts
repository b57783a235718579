// Rotation steps that run through the push and escrow services, with real components: the vault on a throwaway
// gnome-keyring, the real AWS SDK against the loopback Secrets Manager (stages read back with the SDK), the real job
// runner for the push job, and a real age escrow bundle. A conflict at the target leaves the push step failed; the
// escrow step checks the new bundle version holds the plan's key@version. No value in any file, audit line or result.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_TEST_CREDENTIALS } from '../../../test/support/aws-secrets-server.js';
import { blockedConnects } from '../../../test/support/loopback-guard.js';
import { startPushFixture, type PushFixture } from '../../../test/support/push-fixture.js';
import { filesHoldingSecrets, secretVariants } from '../../../test/support/secret-scan.js';
import { createJobService } from '../jobs/job-service.js';
import { escrowExecutors } from '../rotation/escrow-executors.js';
import { pushExecutors } from '../rotation/push-executors.js';
import { builtinExecutors } from '../rotation/step-executors.js';
import { createAudited } from './audited.js';
import { createAuditService } from './audit-service.js';
import { createEscrowService, type EscrowService } from './escrow-service.js';
import { createPushJobKind } from './push-job.js';
import { createRotationService, type RotationService } from './rotation-service.js';

let f: PushFixture;
let rotation: RotationService;
let escrow: EscrowService;
let sdk: SecretsManagerClient;
const outputs: unknown[] = [];
const seen = <T>(value: T): T => (outputs.push(value), value);
/** Which escrow bundle holds which key, as the escrow facts the planner reads. */
const bundles = new Map<string, string>();

async function store(name: string, envVar: string): Promise<void> {
  const out = await f.vault.generateAndStore({ name, options: { kind: 'fernet' }, envVar });
  f.canaries.push(out.key.secret);
}

async function value(name: string, version: number): Promise<string> {
  const { value: v } = await f.vault.reveal({ name, version }, { reason: 'use' });
  f.canaries.push(v);
  return v;
}

/** Ticks off the manual steps before step n, as a person would after doing them. */
async function doneByHandUntil(plan: string, n: number): Promise<void> {
  const status = await rotation.status(plan);
  for (const s of status.steps.slice(0, n - 1))
    if (s.state.status !== 'done') await rotation.markDone(plan, s.step.n, 'done by hand in the test');
}

const stepOf = (status: Awaited<ReturnType<RotationService['status']>>, pattern: RegExp) =>
  status.plan.steps.find((s) => pattern.test(s.id))!;

async function stepLines() {
  return (await createAuditService(f.home).list(0)).filter((e) => e.action === 'rotate-step');
}

before(async () => {
  f = await startPushFixture();
  const aws = await f.targets.get('aws');
  await f.targets.add({ ...aws, name: 'aws-solo' });
  sdk = new SecretsManagerClient({ region: 'eu-west-1', endpoint: f.aws.url, credentials: AWS_TEST_CREDENTIALS });
  escrow = createEscrowService({ vault: f.vault, audited: createAudited(f.home), clock: () => new Date() });
  const audit = createAuditService(f.home);
  const jobs = createJobService({
    dir: join(f.home.home, 'jobs'),
    kinds: { push: () => createPushJobKind(() => f.push) },
    audit: (e) => audit.record(e),
  });
  rotation = createRotationService({
    home: f.home,
    executors: {
      ...builtinExecutors({ vault: () => f.vault }),
      ...pushExecutors(() => f.push),
      ...escrowExecutors({ escrow: () => escrow, vault: () => f.vault }),
    },
    jobs,
    // `aws` holds the keys in one JSON bundle; `aws-solo` one secret per key, named after it.
    target: async (name) => (name === 'aws' ? { kind: 'aws', name, bundle: 'app/prod' } : { kind: 'aws', name }),
    escrow: async (keys) => keys.filter((k) => bundles.has(k)).map((k) => ({ key: k, bundle: bundles.get(k)! })),
    pollMs: 20,
    env: {},
  });
});

after(async () => {
  try {
    const text = JSON.stringify(outputs);
    const leaked = f.canaries.flatMap(secretVariants).filter((v) => text.includes(v));
    assert.deepEqual(leaked, [], 'no value in any plan status, step view or error');
    assert.deepEqual(filesHoldingSecrets(f.home.home, f.canaries), [], 'no value in plans, job files, the audit log or the inventory');
    assert.deepEqual(blockedConnects, []);
  } finally {
    sdk?.destroy();
    await f.stop();
  }
});

describe('rotation steps through push and escrow', { timeout: 180_000 }, () => {
  test('push as AWSPENDING into the bundle (a job), then promote: the SDK reads the new version as AWSCURRENT', async () => {
    await store('pii-enc-key', 'PII_ENC_KEY');
    const first = seen(await f.push.push({ keys: [{ name: 'pii-enc-key' }], target: 'aws', bundle: 'app/prod' }));
    assert.equal(first.ok, true);
    const v1Id = first.items[0]!.versionId!;
    const planned = seen(await rotation.plan({ keys: ['pii-enc-key'], targets: ['aws'], id: 'pii-aws' }, { cwd: f.dir }));
    const push = stepOf(planned, /:push-pending:aws$/);
    const promote = stepOf(planned, /:promote:aws$/);
    assert.deepEqual(push.action, { op: 'push', key: 'pii-enc-key', version: 2, target: 'aws', stage: 'pending', bundle: 'app/prod' });
    assert.deepEqual([push.runner.mode, promote.runner.mode], ['automatic', 'automatic']);

    await rotation.runStep('pii-aws', 1, { confirm: true });
    await doneByHandUntil('pii-aws', push.n);
    const started = seen(await rotation.runStep('pii-aws', push.n, { confirm: true }));
    assert.equal(started.state.status, 'running');
    assert.equal(started.state.job?.kind, 'push');
    const pushed = seen(await rotation.follow('pii-aws', push.n));
    assert.equal(pushed.state.status, 'done', pushed.state.note);
    assert.match(pushed.state.note!, /^pii-enc-key@v2 pushed to aws staged AWSPENDING: app\/prod written\.$/);

    const stages = async () => (await sdk.send(new DescribeSecretCommand({ SecretId: 'app/prod' }))).VersionIdsToStages!;
    const staged = await stages();
    const v2Id = Object.keys(staged).find((id) => id !== v1Id)!;
    assert.deepEqual(staged, { [v1Id]: ['AWSCURRENT'], [v2Id]: ['AWSPENDING'] });
    const pending = await sdk.send(new GetSecretValueCommand({ SecretId: 'app/prod', VersionStage: 'AWSPENDING' }));
    assert.equal(JSON.parse(pending.SecretString!).PII_ENC_KEY === (await value('pii-enc-key', 2)), true, 'AWSPENDING holds v2');

    await doneByHandUntil('pii-aws', promote.n);
    const promoted = seen(await rotation.runStep('pii-aws', promote.n, { confirm: true }));
    assert.equal(promoted.state.status, 'done');
    assert.match(promoted.state.note!, /^pii-enc-key@v2 is AWSCURRENT in app\/prod at aws/);
    const after = await stages();
    assert.deepEqual(after[v2Id]!.includes('AWSCURRENT'), true);
    assert.deepEqual(after[v1Id], ['AWSPREVIOUS']);
    const current = await sdk.send(new GetSecretValueCommand({ SecretId: 'app/prod' }));
    assert.equal(JSON.parse(current.SecretString!).PII_ENC_KEY === (await value('pii-enc-key', 2)), true, 'AWSCURRENT holds v2');

    const lines = (await stepLines()).filter((e) => e.target === `plan:pii-aws#${push.n}` || e.target === `plan:pii-aws#${promote.n}`);
    assert.deepEqual(
      lines.map((e) => [e.target, e.outcome, e.detail?.replace(/job \S+/, 'job ID')]),
      [
        [`plan:pii-aws#${push.n}`, 'ok', 'job ID started'],
        [`plan:pii-aws#${push.n}`, 'ok', pushed.state.note],
        [`plan:pii-aws#${promote.n}`, 'ok', promoted.state.note],
      ],
    );
  });

  test('a push that meets a conflict at the target leaves the step failed, and nothing is written over', async () => {
    await store('api-enc-key', 'API_ENC_KEY');
    await f.push.push({ keys: [{ name: 'api-enc-key' }], target: 'aws-solo' });
    f.aws.putOutside('api-enc-key', 'written-by-someone-else');
    const planned = seen(await rotation.plan({ keys: ['api-enc-key'], targets: ['aws-solo'], id: 'api-conflict' }, { cwd: f.dir }));
    const push = stepOf(planned, /:push-pending:aws-solo$/);
    assert.deepEqual(push.action, { op: 'push', key: 'api-enc-key', version: 2, target: 'aws-solo', stage: 'pending' });
    await rotation.runStep('api-conflict', 1, { confirm: true });
    await value('api-enc-key', 2);
    await doneByHandUntil('api-conflict', push.n);
    await rotation.runStep('api-conflict', push.n, { confirm: true });
    const failed = seen(await rotation.follow('api-conflict', push.n));
    assert.deepEqual([failed.state.status, failed.state.code], ['failed', 'conflict']);
    assert.match(
      failed.state.note!,
      /^api-enc-key@v2 is not in place at aws-solo \(api-enc-key: .+\); look at "keyturn push status --to aws-solo"/,
    );
    const stages = (await sdk.send(new DescribeSecretCommand({ SecretId: 'api-enc-key' }))).VersionIdsToStages!;
    assert.equal(
      Object.values(stages).some((s) => s.includes('AWSPENDING')),
      false,
      'no AWSPENDING version was written',
    );
    const current = await sdk.send(new GetSecretValueCommand({ SecretId: 'api-enc-key' }));
    assert.equal(current.SecretString, 'written-by-someone-else');
    const line = (await stepLines()).filter((e) => e.target === `plan:api-conflict#${push.n}`).at(-1)!;
    assert.deepEqual([line.outcome, line.code], ['failed', 'conflict']);
  });

  test('escrow update seals the new version into the existing bundle; a bundle without the key fails with a sentence', async () => {
    await store('escrowed-key', 'ESCROWED_KEY');
    await store('loose-key', 'LOOSE_KEY');
    const dir = join(f.dir, 'escrow-bundle');
    const created = await escrow.create({ keys: [{ name: 'escrowed-key' }], threshold: 2, shareCount: 3, outDir: dir });
    bundles.set('escrowed-key', dir);
    // A bundle that does not hold loose-key: the step must refuse rather than seal a version without it.
    bundles.set('loose-key', dir);

    const planned = seen(await rotation.plan({ keys: ['escrowed-key'], id: 'escrow-ok' }, { cwd: f.dir }));
    const step = stepOf(planned, /:escrow$/);
    assert.deepEqual([step.runner.mode, step.action], ['automatic', { op: 'escrow-update', key: 'escrowed-key', version: 2, bundle: dir }]);
    await rotation.runStep('escrow-ok', 1, { confirm: true });
    await value('escrowed-key', 2);
    const done = seen(await rotation.runStep('escrow-ok', step.n, { confirm: true }));
    assert.equal(done.state.status, 'done');
    assert.equal(done.state.note, `Escrow bundle ${dir} version 2 holds escrowed-key@v2; no share was needed.`);
    const info = await escrow.inspect(dir);
    assert.equal(info.bundleId, created.bundleId);
    assert.deepEqual(
      info.versions.map((v) => v.keys.map((k) => `${k.name}@v${k.version}`)),
      [['escrowed-key@v1'], ['escrowed-key@v2']],
    );

    const loose = seen(await rotation.plan({ keys: ['loose-key'], id: 'escrow-loose' }, { cwd: f.dir }));
    const looseStep = stepOf(loose, /:escrow$/);
    await rotation.runStep('escrow-loose', 1, { confirm: true });
    await value('loose-key', 2);
    await assert.rejects(rotation.runStep('escrow-loose', looseStep.n, { confirm: true }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'refused');
      assert.equal(error.message, `The escrow bundle ${dir} does not hold loose-key; add it with keyturn escrow create or rekey.`);
      return true;
    });
    const status = seen(await rotation.status('escrow-loose'));
    assert.deepEqual([status.steps[looseStep.n - 1]!.state.status, status.steps[looseStep.n - 1]!.state.code], ['failed', 'refused']);
    assert.equal((await escrow.inspect(dir)).versions.length, 2, 'no bundle version was added');
    const line = (await stepLines()).filter((e) => e.target === `plan:escrow-loose#${looseStep.n}`).at(-1)!;
    assert.deepEqual([line.outcome, line.code], ['refused', 'refused']);

    // A first escrow (no bundle yet) stays with the custodians: manual, and run-step refuses it.
    bundles.clear();
    const first = seen(await rotation.plan({ keys: ['loose-key'], id: 'escrow-first' }, { cwd: f.dir }));
    const firstStep = stepOf(first, /:escrow$/);
    assert.equal(firstStep.runner.mode, 'manual');
    assert.equal(first.steps[firstStep.n - 1]!.runnable, false);
  });
});
