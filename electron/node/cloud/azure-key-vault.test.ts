// The Azure adapter with the real @azure/keyvault-secrets and @azure/identity over HTTPS against the loopback vault
// (401 bearer challenge first) and its authority host (OpenID metadata, client-credential tokens): writes, lost
// answers, soft delete, api-version, challenge resource check, CA file, every error sentence, offline mode.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KeyturnError } from '../../../shared/domain/errors.js';
import type { AzureTarget } from '../../../shared/push/targets.js';
import { blockedConnects } from '../../../test/support/loopback-guard.js';
import { AZURE_TEST_CLIENT, AzureTestCloud } from '../../../test/support/azure-test-cloud.js';
import { azureTestEnv, bareCloudEnv, useCloudEnv } from '../../../test/support/cloud-env.js';
import { deadline } from '../lib/deadline.js';
import { createAzureTarget, REQUEST_TAG } from './azure-key-vault.js';
import { cloudDeadlineErrors } from './cloud-errors.js';
import { createOfflineSwitch } from './offline-switch.js';
import type { WriteInput } from './secret-target.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-azure-'));
const cloud = new AzureTestCloud();
const CANARY = 'kt-canary-AZ-3e5a7c9b1d2f4a6c8e0b2d4f6a8c0e21';
const online = createOfflineSwitch(join(dir, 'home'), {});
let spec: AzureTarget;

before(async () => {
  await cloud.start();
  spec = {
    kind: 'azure',
    name: 'kv',
    vaultUrl: cloud.vaultUrl,
    credential: 'environment',
    caFile: cloud.tls.certPath,
    challengeResourceCheck: false,
  };
  useCloudEnv(azureTestEnv(dir, cloud.authorityHost));
});
after(async () => {
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(blockedConnects, [], 'nothing may leave 127.0.0.1');
});

const target = (overrides: Partial<AzureTarget> = {}, maxAttempts = 3) =>
  createAzureTarget({ ...spec, ...overrides }, { offline: online, maxAttempts });
const write = (input: Partial<WriteInput> & { secret: string }): WriteInput => ({
  value: CANARY,
  requestToken: 'r'.repeat(40),
  tags: { 'keyturn:key': 'PII_ENC_KEY', 'keyturn:version': '1' },
  create: true,
  stage: 'current',
  ...input,
});

async function failure(work: Promise<unknown>): Promise<KeyturnError> {
  try {
    await work;
  } catch (error) {
    const e = error as KeyturnError;
    assert.ok(e.code, `a coded error, got ${String(error)}`);
    assert.ok(!e.message.includes(CANARY), 'no value in an error');
    assert.ok(!e.message.includes(AZURE_TEST_CLIENT.clientSecret), 'no credential in an error');
    assert.ok(![...cloud.issued].some((t) => e.message.includes(t)), 'no token in an error');
    assert.ok(!/\n\s+at /.test(e.message), 'no stack in an error');
    return e;
  }
  assert.fail('expected a failure');
}

describe('Azure Key Vault adapter', () => {
  test('the first call meets the bearer challenge and gets a token from the authority host', async () => {
    const t = target();
    assert.deepEqual(await t.read('pii-enc-key'), { state: 'absent' });
    assert.equal(cloud.calls.get('metadata'), 1, 'OpenID metadata read once');
    assert.equal(cloud.calls.get('token'), 1, 'one client-credential token');
    assert.deepEqual(cloud.unexpected, [], 'no endpoint the real services would not have');
  });

  test('setSecret makes a version with content type, tags, notBefore/expiresOn; read returns it as current', async () => {
    const t = target();
    const nbf = new Date('2026-01-01T00:00:00Z');
    const exp = new Date('2027-01-01T00:00:00Z');
    const out = await t.write(write({ secret: 'pii-enc-key', contentType: 'application/x-fernet-key', notBefore: nbf, expiresOn: exp }));
    const latest = cloud.latest('pii-enc-key')!;
    assert.equal(out.versionId, latest.id);
    assert.equal(latest.contentType, 'application/x-fernet-key');
    assert.deepEqual([latest.attributes.nbf, latest.attributes.exp], [nbf.getTime() / 1000, exp.getTime() / 1000]);
    assert.equal(latest.tags?.['keyturn:version'], '1');
    assert.equal(latest.tags?.[REQUEST_TAG], 'r'.repeat(40));
    const read = await t.read('pii-enc-key');
    assert.ok(read.state === 'present' && read.version.value === CANARY && read.version.stages.includes('current'));
    const byId = await t.read('pii-enc-key', { versionId: out.versionId });
    assert.ok(byId.state === 'present' && byId.version.versionId === out.versionId);
    assert.deepEqual(await t.read('pii-enc-key', { versionId: '0'.repeat(32) }), { state: 'absent' });
  });

  test('a write whose answer is lost is found by its request tag and not written twice', async () => {
    const t = target();
    cloud.fault({ kind: 'drop-after', action: 'set' });
    const before = cloud.secrets.get('retry-key')?.versions.length ?? 0;
    const out = await t.write(write({ secret: 'retry-key', requestToken: 's'.repeat(40) }));
    assert.equal(cloud.secrets.get('retry-key')!.versions.length - before, 1);
    assert.equal(out.versionId, cloud.latest('retry-key')!.id);
    // A 500 after which nothing was stored: tried again, one version.
    cloud.fault({ kind: 'error500', action: 'set' });
    await t.write(write({ secret: 'retry-key', requestToken: 't'.repeat(40), create: false }));
    assert.equal(cloud.secrets.get('retry-key')!.versions.length - before, 2);
  });

  test('a soft-deleted secret reads as deleted, its write is refused with the recover-or-purge sentence, recover brings it back', async () => {
    const t = target();
    await t.write(write({ secret: 'gone-key' }));
    cloud.softDelete('gone-key');
    assert.deepEqual(await t.read('gone-key'), { state: 'deleted' });
    const e = await failure(t.write(write({ secret: 'gone-key', create: false })));
    assert.equal(e.code, 'deleted-recoverable');
    assert.match(
      e.message,
      /gone-key is deleted but recoverable in https:\/\/127\.0\.0\.1:\d+; recover it \(push again with --recover\) or purge it/,
    );
    await t.recover('gone-key');
    assert.equal((await t.read('gone-key')).state, 'present');
  });

  test('test() lists at most one secret and names the identity from the token, never the token', async () => {
    const out = await target().test();
    assert.match(out.identity, new RegExp(`^app ${AZURE_TEST_CLIENT.clientId} \\(tenant [0-9a-f-]+\\)$`));
    cloud.fault({ kind: 'deny', action: 'list' });
    const denied = await target().test();
    assert.match(denied.note!, /listing secrets is not allowed/);
  });

  test('staging is refused on Azure with a sentence', async () => {
    await assert.rejects(target().write(write({ secret: 'x', stage: 'pending' })), { code: 'refused', message: /no staging labels/ });
    await assert.rejects(target().promote('x', 'v'), { code: 'refused', message: /nothing to promote/ });
  });

  test('--api-version serves a vault that lags behind; without it that vault answers with a coded sentence', async () => {
    const stack = new AzureTestCloud({ apiVersions: ['7.0'] });
    await stack.start();
    try {
      useCloudEnv(azureTestEnv(dir, stack.authorityHost));
      const base = { ...spec, vaultUrl: stack.vaultUrl, caFile: stack.tls.certPath };
      const e = await failure(createAzureTarget(base, { offline: online }).read('x'));
      assert.equal(e.code, 'invalid-input');
      assert.match(e.message, /does not support the api-version Keyturn sent; add the target again with --api-version/);
      assert.deepEqual(await createAzureTarget({ ...base, apiVersion: '7.0' }, { offline: online }).read('x'), { state: 'absent' });
    } finally {
      useCloudEnv(azureTestEnv(dir, cloud.authorityHost));
      await stack.stop();
    }
  });

  describe('every failure is a coded sentence', () => {
    test('the challenge names another domain: refused unless the check is switched off', async () => {
      const e = await failure(target({ challengeResourceCheck: true }).read('x'));
      assert.equal(e.code, 'refused');
      assert.match(e.message, /asked for a token for another domain.*--no-challenge-resource-check/);
    });

    test('no credentials: names what the chosen credential needs', async () => {
      useCloudEnv(bareCloudEnv(dir));
      try {
        const e = await failure(target({ authorityHost: cloud.authorityHost }).read('x'));
        assert.equal(e.code, 'no-credentials');
        assert.match(e.message, /EnvironmentCredential, which needs AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET/);
      } finally {
        useCloudEnv(azureTestEnv(dir, cloud.authorityHost));
      }
    });

    test('rejected credentials: a wrong client secret', async () => {
      useCloudEnv({ ...azureTestEnv(dir, cloud.authorityHost), AZURE_CLIENT_SECRET: 'wrong-secret' });
      try {
        const e = await failure(target().read('x'));
        assert.equal(e.code, 'no-credentials');
        assert.match(e.message, /login host refused the Azure credentials/);
        assert.ok(!e.message.includes('wrong-secret'));
      } finally {
        useCloudEnv(azureTestEnv(dir, cloud.authorityHost));
      }
    });

    test('access denied: names the Key Vault permission and the RBAC action', async () => {
      cloud.fault({ kind: 'deny', action: 'set' });
      const e = await failure(target().write(write({ secret: 'pii-enc-key' })));
      assert.equal(e.code, 'access-denied');
      assert.match(
        e.message,
        /denied the secrets Set permission on secret pii-enc-key .*Microsoft\.KeyVault\/vaults\/secrets\/setSecret\/action.*Key Vault Secrets Officer/,
      );
    });

    test('not found: recovering a secret that is not deleted', async () => {
      const e = await failure(target().recover('never-there'));
      assert.equal(e.code, 'not-found');
      assert.match(e.message, /Azure Key Vault https:\/\/127\.0\.0\.1:\d+ has no secret never-there\./);
    });

    test('throttled after retries, for reads (SDK retries) and writes (Keyturn retries)', async () => {
      cloud.fault({ kind: 'throttle', action: 'get', times: 3 });
      const read = await failure(target().read('pii-enc-key'));
      assert.equal(read.code, 'throttled');
      assert.match(read.message, /still after 3 attempts/);
      cloud.fault({ kind: 'throttle', action: 'set', times: 3 });
      const wrote = await failure(target().write(write({ secret: 'pii-enc-key', requestToken: 'u'.repeat(40) })));
      assert.equal(wrote.code, 'throttled');
      cloud.fault({ kind: 'throttle', action: 'set', times: 1 });
      await target().write(write({ secret: 'pii-enc-key', requestToken: 'v'.repeat(40) }));
    });

    test('a server error that persists', async () => {
      cloud.fault({ kind: 'error500', action: 'get', times: 3 });
      const e = await failure(target().read('pii-enc-key'));
      assert.equal(e.code, 'remote-failed');
      assert.match(e.message, /HTTP 500, InternalServerError/);
    });

    test('TLS failure: the vault certificate is not trusted without --ca-file', async () => {
      const e = await failure(createAzureTarget({ ...spec, caFile: undefined }, { offline: online, maxAttempts: 1 }).read('x'));
      assert.equal(e.code, 'tls-failure');
      assert.match(e.message, /does not trust the TLS connection to 127\.0\.0\.1:\d+: it presents a self-signed certificate.*--ca-file/);
    });

    test('unreachable, and a CA file that cannot be read', async () => {
      const e = await failure(target({ vaultUrl: 'https://127.0.0.1:9' }, 1).read('x'));
      assert.equal(e.code, 'unreachable');
      const io = await failure(target({ caFile: join(dir, 'missing.pem') }).read('x'));
      assert.equal(io.code, 'io');
      assert.match(io.message, /cannot read the CA file .*missing\.pem \(ENOENT\)/);
    });

    test('timeout and cancel', async () => {
      cloud.fault({ kind: 'slow', action: 'get', ms: 1500 });
      const bound = deadline(200, undefined, cloudDeadlineErrors('Azure Key Vault'));
      const e = await failure(target().read('pii-enc-key', { signal: bound.signal }));
      bound.dispose();
      assert.equal(e.code, 'timeout');
      cloud.fault({ kind: 'slow', action: 'get', ms: 1500 });
      const controller = new AbortController();
      const cancel = deadline(10_000, controller.signal, cloudDeadlineErrors('Azure Key Vault'));
      setTimeout(() => controller.abort(), 100);
      const c = await failure(target().read('pii-enc-key', { signal: cancel.signal }));
      cancel.dispose();
      assert.equal(c.code, 'cancelled');
    });
  });

  test('offline mode refuses before any connection', async () => {
    const offline = createOfflineSwitch(join(dir, 'home'), { KEYTURN_OFFLINE: '1' });
    cloud.connections = 0;
    const t = createAzureTarget(spec, { offline });
    for (const call of [() => t.read('x'), () => t.write(write({ secret: 'x' })), () => t.recover('x'), () => t.test()]) {
      assert.equal((await failure(call())).code, 'offline');
    }
    assert.equal(cloud.connections, 0);
  });
});
