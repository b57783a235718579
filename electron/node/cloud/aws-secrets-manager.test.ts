// The AWS adapter with the real @aws-sdk/client-secrets-manager over real HTTP against the loopback server, which
// recomputes every SigV4 signature: writes, staging, idempotent retries, every error sentence, offline mode, lazy loading.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KeyturnError } from '../../../shared/domain/errors.js';
import type { AwsTarget } from '../../../shared/push/targets.js';
import { blockedConnects } from '../../../test/support/loopback-guard.js';
import { AWS_TEST_PRINCIPAL, AwsSecretsServer } from '../../../test/support/aws-secrets-server.js';
import { awsTestEnv, bareCloudEnv, useCloudEnv } from '../../../test/support/cloud-env.js';
import { makeTestCertificate } from '../../../test/support/test-tls.js';
import { deadline } from '../lib/deadline.js';
import { createAwsTarget } from './aws-secrets-manager.js';
import { cloudDeadlineErrors } from './cloud-errors.js';
import { createOfflineSwitch, setOfflineSetting } from './offline-switch.js';
import type { WriteInput } from './secret-target.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-aws-'));
const home = join(dir, 'home');
const server = new AwsSecretsServer({ region: 'eu-west-1' });
const CANARY = 'kt-canary-AWS-7f3c9e1d5b2a4c6e8f0a1b3c5d7e9f11';
const online = createOfflineSwitch(home, {});
let spec: AwsTarget;

before(async () => {
  await server.start();
  spec = { kind: 'aws', name: 'aws-test', region: 'eu-west-1', endpoint: server.url };
  useCloudEnv(awsTestEnv(dir));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(blockedConnects, [], 'nothing may leave 127.0.0.1');
});

const target = (overrides: Partial<AwsTarget> = {}, maxAttempts = 3) =>
  createAwsTarget({ ...spec, ...overrides }, { offline: online, maxAttempts });
const token = (c: string) => c.repeat(36);
const write = (input: Partial<WriteInput> & { secret: string }): WriteInput => ({
  value: CANARY,
  requestToken: token('a'),
  tags: { 'keyturn:key': 'k' },
  create: true,
  stage: 'current',
  ...input,
});

async function failure(work: Promise<unknown>): Promise<KeyturnError> {
  try {
    await work;
  } catch (error) {
    const e = error as KeyturnError;
    assert.ok(!e.message.includes(CANARY), 'no value in an error');
    assert.ok(!/\n\s+at /.test(e.message), 'no stack in an error');
    assert.ok(!e.message.includes(awsTestEnv(dir).AWS_SECRET_ACCESS_KEY!), 'no credential in an error');
    return e;
  }
  assert.fail('expected a failure');
}

describe('AWS Secrets Manager adapter', () => {
  test('create, read, update with tags; every request was signed with SigV4 and verified', async () => {
    const t = target({ kmsKeyId: 'alias/keyturn' });
    assert.deepEqual(await t.read('app/one'), { state: 'absent' });
    const created = await t.write(
      write({ secret: 'app/one', description: 'pii key', tags: { 'keyturn:key': 'PII', 'keyturn:version': '1' } }),
    );
    assert.equal(created.versionId, token('a'));
    const stored = server.secret('app/one')!;
    assert.equal(stored.kmsKeyId, 'alias/keyturn');
    assert.equal(stored.description, 'pii key');
    assert.equal(stored.tags.get('keyturn:version'), '1');
    const read = await t.read('app/one');
    assert.equal(read.state, 'present');
    assert.deepEqual(read.state === 'present' && [read.version.value === CANARY, read.version.stages], [true, ['current']]);
    const updated = await t.write(
      write({ secret: 'app/one', create: false, value: `${CANARY}-2`, requestToken: token('b'), tags: { 'keyturn:version': '2' } }),
    );
    assert.equal(updated.warning, undefined);
    assert.equal(stored.tags.get('keyturn:version'), '2');
    assert.deepEqual(
      [...stored.versions.values()].map((v) => [...v.stages]),
      [['AWSPREVIOUS'], ['AWSCURRENT']],
    );
    assert.deepEqual(server.signatureFailures, []);
    assert.ok(server.calls.get('CreateSecret')! >= 1 && server.calls.get('TagResource')! >= 1);
  });

  test('a signature made with the wrong secret key is rejected by the server and reported as rejected credentials', async () => {
    useCloudEnv({ ...awsTestEnv(dir), AWS_SECRET_ACCESS_KEY: 'not-the-right-secret' });
    try {
      const e = await failure(target().read('app/one'));
      assert.equal(e.code, 'no-credentials');
      assert.match(e.message, /rejected the credentials .*InvalidSignatureException/);
      assert.ok(server.signatureFailures.some((f) => /signature we calculated does not match/.test(f)));
    } finally {
      useCloudEnv(awsTestEnv(dir));
    }
  });

  test('--stage pending writes AWSPENDING only; promote moves AWSCURRENT and the old version becomes AWSPREVIOUS', async () => {
    const t = target();
    await t.write(write({ secret: 'app/staged', requestToken: token('c') }));
    const pending = await t.write(
      write({ secret: 'app/staged', create: false, value: `${CANARY}-p`, requestToken: token('d'), stage: 'pending' }),
    );
    const stages = () =>
      Object.fromEntries([...server.secret('app/staged')!.versions.values()].map((v) => [v.id[0], [...v.stages].sort()]));
    assert.deepEqual(stages(), { c: ['AWSCURRENT'], d: ['AWSPENDING'] });
    const read = await t.read('app/staged', { stage: 'pending' });
    assert.equal(read.state === 'present' && read.version.versionId, pending.versionId);
    await t.promote('app/staged', pending.versionId);
    assert.deepEqual(stages(), { c: ['AWSPREVIOUS'], d: ['AWSCURRENT', 'AWSPENDING'] });
    await t.promote('app/staged', pending.versionId); // already current: nothing to do
    await assert.rejects(t.write(write({ secret: 'app/new-staged', stage: 'pending' })), {
      code: 'refused',
      message: /does not exist yet/,
    });
  });

  test('a write whose answer is lost is retried with the same ClientRequestToken and makes exactly one version', async () => {
    const t = target();
    await t.write(write({ secret: 'app/retry', requestToken: token('e') }));
    server.fault({ kind: 'drop-after', action: 'PutSecretValue' });
    const before = server.calls.get('PutSecretValue') ?? 0;
    const out = await t.write(write({ secret: 'app/retry', create: false, value: `${CANARY}-r`, requestToken: token('f') }));
    assert.equal(server.calls.get('PutSecretValue')! - before, 2, 'the SDK sent it twice');
    assert.equal(out.versionId, token('f'));
    assert.equal(server.secret('app/retry')!.versions.size, 2, 'one version for the first write, one for the retried one');
    // The same token with another value is refused by the service: a version is never changed.
    const e = await failure(t.write(write({ secret: 'app/retry', create: false, value: 'different', requestToken: token('f') })));
    assert.equal(e.code, 'conflict');
  });

  test('a soft-deleted secret reads as deleted, refuses writes with its own sentence, and comes back with recover', async () => {
    const t = target();
    await t.write(write({ secret: 'app/deleted', requestToken: token('g') }));
    server.scheduleDeletion('app/deleted');
    assert.deepEqual(await t.read('app/deleted'), { state: 'deleted' });
    const e = await failure(t.write(write({ secret: 'app/deleted', create: false, requestToken: token('h') })));
    assert.equal(e.code, 'deleted-recoverable');
    assert.match(e.message, /app\/deleted is scheduled for deletion in eu-west-1; restore it \(push again with --recover\)/);
    await t.recover('app/deleted');
    assert.equal((await t.read('app/deleted')).state, 'present');
  });

  test('test() is read-only and says who is authenticated; a denied list still proves authentication', async () => {
    const before = server.totalCalls();
    assert.deepEqual(await target().test(), { identity: 'access key ...0001' });
    assert.deepEqual(
      [...server.calls.keys()].filter((k) => k === 'ListSecrets'),
      ['ListSecrets'],
    );
    assert.equal(server.totalCalls() - before, 1);
    server.fault({ kind: 'deny', action: 'ListSecrets' });
    const denied = await target().test();
    assert.equal(denied.identity, AWS_TEST_PRINCIPAL);
    assert.match(denied.note!, /ListSecrets is not allowed/);
  });

  describe('every failure is a coded sentence', () => {
    test('no credentials: names the chain steps tried', async () => {
      useCloudEnv(bareCloudEnv(dir));
      try {
        const e = await failure(target().read('app/one'));
        assert.equal(e.code, 'no-credentials');
        assert.match(
          e.message,
          /environment variables \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\), SSO, the shared config and credentials files \(profile "default"\), credential_process, a web identity token file, and container and instance metadata \(instance metadata is switched off/,
        );
        assert.match(e.message, /never asks for, prints or stores an access key/);
      } finally {
        useCloudEnv(awsTestEnv(dir));
      }
    });

    test('access denied: names the missing IAM action and the principal', async () => {
      server.fault({ kind: 'deny', action: 'PutSecretValue' });
      const e = await failure(target().write(write({ secret: 'app/one', create: false, requestToken: token('i') })));
      assert.equal(e.code, 'access-denied');
      assert.match(
        e.message,
        new RegExp(
          `denied secretsmanager:PutSecretValue on secret app/one to ${AWS_TEST_PRINCIPAL.replace(/[/.]/g, '\\$&')}: grant that IAM action`,
        ),
      );
    });

    test('not found', async () => {
      const e = await failure(target().promote('app/never', token('z')));
      assert.equal(e.code, 'not-found');
      assert.equal(e.message, "AWS Secrets Manager can't find secret app/never in eu-west-1.");
    });

    test('throttled, after the SDK retried', async () => {
      server.fault({ kind: 'throttle', action: 'GetSecretValue', times: 3 });
      const e = await failure(target().read('app/one'));
      assert.equal(e.code, 'throttled');
      assert.match(e.message, /still after 3 attempts with back-off/);
      // Two throttled answers and then success: the SDK's own retries absorb them.
      server.fault({ kind: 'throttle', action: 'GetSecretValue', times: 2 });
      assert.equal((await target().read('app/one')).state, 'present');
    });

    test('a server error that persists', async () => {
      server.fault({ kind: 'error500', action: 'GetSecretValue', times: 3 });
      const e = await failure(target().read('app/one'));
      assert.equal(e.code, 'remote-failed');
      assert.match(e.message, /answered with an error \(HTTP 500, InternalServiceError\) after 3 attempts/);
    });

    test('KMS key not usable', async () => {
      server.fault({ kind: 'kms', action: 'CreateSecret' });
      const e = await failure(target({ kmsKeyId: 'alias/disabled' }).write(write({ secret: 'app/kms', requestToken: token('j') })));
      assert.equal(e.code, 'kms-unusable');
      assert.match(
        e.message,
        /The KMS key alias\/disabled could not be used for secret app\/kms in eu-west-1 \(EncryptionFailure\).*kms:GenerateDataKey/,
      );
    });

    test('invalid name and too large, as the service answers them (the push service checks both before calling)', async () => {
      const bad = await failure(target().write(write({ secret: 'bad name!', requestToken: token('k') })));
      assert.equal(bad.code, 'invalid-input');
      assert.match(bad.message, /refused CreateSecret for secret bad name! as invalid \(ValidationException\)/);
      const big = await failure(target().write(write({ secret: 'app/big', value: 'x'.repeat(65_537), requestToken: token('l') })));
      assert.equal(big.code, 'invalid-input');
    });

    test('unreachable: nothing listens on the port', async () => {
      const closed = createHttpsServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const e = await failure(target({ endpoint: `http://127.0.0.1:${port}` }, 1).read('app/one'));
      assert.equal(e.code, 'unreachable');
      assert.match(e.message, new RegExp(`could not reach AWS Secrets Manager at 127.0.0.1:${port}: the connection was refused`));
    });

    test('TLS failure: an endpoint with a certificate nobody vouches for', async () => {
      const cert = makeTestCertificate();
      const tls = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('{}'));
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      try {
        const e = await failure(target({ endpoint: `https://127.0.0.1:${(tls.address() as AddressInfo).port}` }, 1).read('app/one'));
        assert.equal(e.code, 'tls-failure');
        assert.match(e.message, /does not trust the TLS connection to 127\.0\.0\.1:\d+: it presents a self-signed certificate/);
      } finally {
        await new Promise<void>((r) => tls.close(() => r()));
        cert.dispose();
      }
    });

    test('timeout and cancel end the call with their own sentences', async () => {
      server.fault({ kind: 'slow', action: 'GetSecretValue', ms: 1500 });
      const bound = deadline(200, undefined, cloudDeadlineErrors('AWS Secrets Manager'));
      const timedOut = await failure(target().read('app/one', { signal: bound.signal }));
      bound.dispose();
      assert.equal(timedOut.code, 'timeout');
      assert.match(timedOut.message, /did not answer within 0\.2 s/);
      server.fault({ kind: 'slow', action: 'GetSecretValue', ms: 1500 });
      const controller = new AbortController();
      const cancel = deadline(10_000, controller.signal, cloudDeadlineErrors('AWS Secrets Manager'));
      setTimeout(() => controller.abort(), 100);
      const cancelled = await failure(target().read('app/one', { signal: cancel.signal }));
      cancel.dispose();
      assert.equal(cancelled.code, 'cancelled');
    });
  });

  test('offline mode refuses every call before a connection is opened (environment variable and saved switch)', async () => {
    const calls = [
      (t: ReturnType<typeof target>) => t.read('app/one'),
      (t: ReturnType<typeof target>) => t.write(write({ secret: 'app/off', requestToken: token('m') })),
      (t: ReturnType<typeof target>) => t.promote('app/one', token('a')),
      (t: ReturnType<typeof target>) => t.recover('app/one'),
      (t: ReturnType<typeof target>) => t.test(),
    ];
    const switches = [createOfflineSwitch(home, { KEYTURN_OFFLINE: '1' })];
    await setOfflineSetting(home, true);
    switches.push(createOfflineSwitch(home, {}));
    server.resetCounts();
    for (const offline of switches) {
      for (const call of calls) {
        const e = await failure(call(createAwsTarget(spec, { offline })));
        assert.equal(e.code, 'offline');
        assert.match(
          e.message,
          /offline mode \((KEYTURN_OFFLINE is set|the app's offline switch is on)\), so it did not contact AWS Secrets Manager; nothing was sent/,
        );
      }
    }
    assert.equal(server.connections, 0, 'no connection was attempted');
    assert.equal(server.totalCalls(), 0);
    await setOfflineSetting(home, false);
    await target().read('app/one');
    assert.ok(server.connections > 0, 'the same server counts connections once online');
  });
});
