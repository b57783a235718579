// The push service end to end on Azure Key Vault: the real vault on a throwaway gnome-keyring, the real Azure SDKs
// over HTTPS against the loopback vault and authority. Name mapping, content type and expiry, soft delete and
// recovery, lost answers, read-back, drift, size limits; no value in any output or file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { blockedConnects } from '../../../test/support/loopback-guard.js';
import { startPushFixture, type PushFixture } from '../../../test/support/push-fixture.js';
import { filesHoldingSecrets, secretVariants } from '../../../test/support/secret-scan.js';

let f: PushFixture;
const outputs: unknown[] = [];
function seen<T>(value: T): T {
  outputs.push(value);
  return value;
}

async function store(name: string, kind: 'fernet' | 'secret' | 'jwt-rsa') {
  const out = await f.vault.generateAndStore({ name, options: { kind } });
  f.canaries.push(out.key.secret);
  return out;
}

before(async () => {
  f = await startPushFixture({ azure: true });
  await store('PII_ENC_KEY', 'fernet');
  await store('SECRET_KEY', 'secret');
});

after(async () => {
  try {
    const text = JSON.stringify(outputs);
    assert.deepEqual(
      f.canaries.flatMap(secretVariants).filter((v) => text.includes(v)),
      [],
    );
    assert.deepEqual(filesHoldingSecrets(f.home.home, f.canaries), []);
    assert.deepEqual(blockedConnects, []);
    assert.deepEqual(f.azure!.unexpected, []);
  } finally {
    await f.stop();
  }
});

describe('push to Azure Key Vault', { timeout: 120_000 }, () => {
  test('PII_ENC_KEY goes to pii-enc-key (the mapping is in the plan), with a content type, tags and expiry', async () => {
    const plan = seen(await f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }, { name: 'SECRET_KEY' }], target: 'kv' }));
    assert.deepEqual(
      plan.items.map((i) => [i.secret, i.mappedFrom, i.action]),
      [
        ['pii-enc-key', 'PII_ENC_KEY', 'create'],
        ['secret-key', 'SECRET_KEY', 'create'],
      ],
    );
    const result = seen(
      await f.push.push({ keys: [{ name: 'PII_ENC_KEY' }, { name: 'SECRET_KEY' }], target: 'kv', expiresInDays: 90 }, { confirmed: plan }),
    );
    assert.deepEqual(
      result.items.map((i) => i.outcome),
      ['written', 'written'],
    );
    const latest = f.azure!.latest('pii-enc-key')!;
    assert.equal(latest.contentType, 'application/x-fernet-key');
    assert.equal(latest.tags?.['keyturn:key'], 'PII_ENC_KEY');
    assert.equal(latest.attributes.exp! - latest.attributes.nbf!, 90 * 86_400);
    assert.equal(result.items[0]!.versionId, latest.id);
    assert.equal(f.azure!.latest('secret-key')!.contentType, 'text/plain');
    assert.equal(seen(await f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }], target: 'kv' })).items[0]!.action, 'unchanged');
    await assert.rejects(f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }], target: 'kv', stage: 'pending' }), {
      code: 'usage',
      message: /no staging labels/,
    });
    await assert.rejects(f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws', expiresInDays: 30 }), {
      code: 'usage',
      message: /no expiry date/,
    });
  });

  test('a soft-deleted secret is a conflict that says recover or purge; --recover recovers it and pushes', async () => {
    await store('recovered-key', 'secret');
    await f.push.push({ keys: [{ name: 'recovered-key' }], target: 'kv' });
    f.azure!.softDelete('recovered-key');
    const plan = seen(await f.push.plan({ keys: [{ name: 'recovered-key' }], target: 'kv' }));
    assert.deepEqual([plan.items[0]!.action, plan.items[0]!.code], ['conflict', 'deleted-recoverable']);
    const refused = seen(await f.push.push({ keys: [{ name: 'recovered-key' }], target: 'kv' }));
    assert.equal(refused.items[0]!.error!.code, 'deleted-recoverable');
    assert.match(refused.items[0]!.error!.message, /recover it \(--recover\) or purge it/);
    const recovered = seen(await f.push.push({ keys: [{ name: 'recovered-key' }], target: 'kv', recover: true }));
    assert.equal(recovered.items[0]!.outcome, 'written', JSON.stringify(recovered.items[0]!.error));
    assert.equal(f.azure!.deleted.has('recovered-key'), false);
    assert.equal(f.azure!.calls.get('recover'), 1);
  });

  test('a push whose answer was lost makes exactly one version', async () => {
    await store('retry-key', 'fernet');
    f.azure!.fault({ kind: 'drop-after', action: 'set' });
    const result = seen(await f.push.push({ keys: [{ name: 'retry-key' }], target: 'kv' }));
    assert.equal(result.items[0]!.outcome, 'written');
    assert.equal(f.azure!.secrets.get('retry-key')!.versions.length, 1);
  });

  test('read-back catches a vault that stores something else', async () => {
    await store('tamper-key', 'secret');
    f.azure!.fault({ kind: 'tamper', action: 'set' });
    const result = seen(await f.push.push({ keys: [{ name: 'tamper-key' }], target: 'kv' }));
    assert.equal(result.items[0]!.error!.code, 'readback-mismatch');
    assert.equal((await f.vault.show('tamper-key')).versions[0]!.pushes, undefined);
  });

  test('drift: in-sync, remote-changed, missing, local-newer', async () => {
    for (const name of ['az-sync', 'az-changed', 'az-missing', 'az-newer']) await store(name, 'secret');
    await f.push.push({ keys: ['az-sync', 'az-changed', 'az-missing', 'az-newer'].map((name) => ({ name })), target: 'kv' });
    f.azure!.putOutside('az-changed', 'set-in-the-portal');
    f.azure!.softDelete('az-missing');
    await f.vault.rotate('az-newer');
    f.canaries.push((await f.vault.reveal({ name: 'az-newer' }, { reason: 'use' })).value);
    const status = seen(await f.push.status({ target: 'kv' }));
    const states = Object.fromEntries(status.items.filter((i) => i.key.startsWith('az-')).map((i) => [i.key, i.state]));
    assert.deepEqual(states, { 'az-changed': 'remote-changed', 'az-missing': 'missing', 'az-newer': 'local-newer', 'az-sync': 'in-sync' });
  });

  test('a value over 25 KB is refused before it is written', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { randomBytes } = await import('node:crypto');
    const file = join(f.dir, 'big.env');
    await writeFile(file, `BIG=${randomBytes(30_000).toString('base64url').slice(0, 30_000)}\n`);
    await f.vault.importFromEnv({ name: 'big-blob', file, variable: 'BIG', kind: 'secret' });
    f.canaries.push((await f.vault.reveal({ name: 'big-blob' }, { reason: 'use' })).value);
    const before = f.azure!.calls.get('set') ?? 0;
    const result = seen(await f.push.push({ keys: [{ name: 'big-blob' }], target: 'kv' }));
    assert.equal(result.items[0]!.error!.code, 'value-too-large');
    assert.match(result.items[0]!.error!.message, /Azure Key Vault stores at most 25600 bytes/);
    assert.equal(f.azure!.calls.get('set') ?? 0, before);
  });

  test('targets test answers with the identity within the time limit', async () => {
    const out = seen(await f.push.testTarget('kv'));
    assert.match(out.identity, /^app [0-9a-f-]+ \(tenant [0-9a-f-]+\)$/);
    assert.ok(out.ms < 10_000);
  });
});
