// The push service end to end on AWS: the real vault on a throwaway gnome-keyring, the real AWS SDK over HTTP against
// the SigV4-checking loopback server. Plans (create, update, unchanged, bundle merge, conflict), idempotent retries,
// read-back, staging and promotion, drift in all four states, records and audit lines, and no value anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { filesHoldingSecrets, secretVariants } from '../../../test/support/secret-scan.js';
import { blockedConnects } from '../../../test/support/loopback-guard.js';
import { startPushFixture, type PushFixture } from '../../../test/support/push-fixture.js';
import { runPython } from '../../../test/support/python.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { JobContext } from '../jobs/job-kind.js';
import { createAuditService } from './audit-service.js';
import type { PushJobParams } from '../../../shared/push/push-types.js';
import { createPushJobKind, type PushCheckpoint } from './push-job.js';

let f: PushFixture;
const outputs: unknown[] = [];
/** Keeps what the service returned, for the final scan. */
function seen<T>(value: T): T {
  outputs.push(value);
  return value;
}

async function store(name: string, kind: 'fernet' | 'secret' | 'jwt-ec', envVar?: string) {
  const out = await f.vault.generateAndStore({ name, options: { kind }, ...(envVar ? { envVar } : {}) });
  f.canaries.push(out.key.secret);
  return out;
}

async function pushLines(): Promise<AuditEntry[]> {
  return (await createAuditService(f.home).list(0)).filter((e) => e.action === 'push' || e.action === 'promote');
}

before(async () => {
  f = await startPushFixture();
  await store('PII_ENC_KEY', 'fernet');
  await store('SECRET_KEY', 'secret');
  await store('jwt-signer', 'jwt-ec');
});

after(async () => {
  try {
    const text = JSON.stringify(outputs);
    const leaked = f.canaries.flatMap(secretVariants).filter((v) => text.includes(v));
    assert.deepEqual(leaked, [], 'no value in any plan, result, status or error');
    assert.deepEqual(filesHoldingSecrets(f.home.home, f.canaries), [], 'no value in the inventory, audit log, targets or settings');
    assert.deepEqual(blockedConnects, []);
  } finally {
    await f.stop();
  }
});

describe('push to AWS Secrets Manager', { timeout: 120_000 }, () => {
  test('plan create, push (one write + read-back), then plan unchanged; tags, records and one audit line per write', async () => {
    const plan = seen(await f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws' }));
    assert.deepEqual(
      plan.items.map((i) => [i.secret, i.action, i.entries[0]!.change]),
      [['PII_ENC_KEY', 'create', 'add']],
    );
    f.aws.resetCounts();
    const result = seen(await f.push.push({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws' }, { confirmed: plan }));
    assert.equal(result.ok, true);
    assert.equal(result.items[0]!.outcome, 'written');
    assert.deepEqual(Object.fromEntries(f.aws.calls), { GetSecretValue: 2, CreateSecret: 1 }, 'plan read, create, read-back');
    const remote = f.aws.secret('PII_ENC_KEY')!;
    const pii = await f.vault.show('PII_ENC_KEY');
    assert.deepEqual(Object.fromEntries(remote.tags), {
      'keyturn:key': 'PII_ENC_KEY',
      'keyturn:version': '1',
      'keyturn:fingerprint': pii.versions[0]!.fingerprint,
    });
    assert.equal([...remote.versions.values()][0]!.value, (await f.vault.reveal({ name: 'PII_ENC_KEY' }, { reason: 'use' })).value);
    assert.deepEqual(
      pii.versions[0]!.pushes?.map((p) => [p.target, p.secret, p.remoteVersion, p.stage]),
      [['aws', 'PII_ENC_KEY', result.items[0]!.versionId, 'current']],
    );
    const lines = await pushLines();
    assert.deepEqual(
      lines.map((l) => [l.key, l.version, l.target, l.outcome]),
      [['PII_ENC_KEY', 1, 'aws:PII_ENC_KEY', 'ok']],
    );
    const again = seen(await f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws' }));
    assert.equal(again.items[0]!.action, 'unchanged');
    const none = await f.push.push({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws' });
    assert.equal(none.items[0]!.outcome, 'unchanged');
    assert.equal((await pushLines()).length, 1, 'no write, no line');
  });

  test('update after a rotation: plan says update (replace), status says local-newer until pushed', async () => {
    await f.push.push({ keys: [{ name: 'jwt-signer' }], target: 'aws' });
    const rotated = await f.vault.rotate('jwt-signer');
    f.canaries.push((await f.vault.reveal({ name: 'jwt-signer' }, { reason: 'use' })).value);
    assert.equal(rotated.version, 2);
    const status = seen(await f.push.status({ target: 'aws' }));
    assert.equal(status.items.find((i) => i.key === 'jwt-signer')!.state, 'local-newer');
    const plan = seen(await f.push.plan({ keys: [{ name: 'jwt-signer' }], target: 'aws' }));
    assert.deepEqual(
      [plan.items[0]!.action, plan.items[0]!.entries[0]!.change, plan.items[0]!.entries[0]!.version],
      ['update', 'replace', 2],
    );
    const result = seen(await f.push.push({ keys: [{ name: 'jwt-signer' }], target: 'aws' }));
    assert.equal(result.items[0]!.outcome, 'written');
    const stages = [...f.aws.secret('jwt-signer')!.versions.values()].map((v) => [...v.stages]);
    assert.deepEqual(stages, [['AWSPREVIOUS'], ['AWSCURRENT']]);
    assert.equal(f.aws.secret('jwt-signer')!.tags.get('keyturn:version'), '2', 'tags follow the version now current');
    assert.equal((await f.push.status({ target: 'aws' })).items.find((i) => i.key === 'jwt-signer')!.state, 'in-sync');
  });

  test('bundle: merging into an existing JSON secret changes only the named fields, byte for byte elsewhere; Python reads it', async () => {
    const existing =
      '{\n  "DATABASE_URL": "postgres://app@db:5432/app?sslmode=require",\n  "WORKERS": 4.0e0,\n  "FEATURES": {"ocr": true, "langs": ["en", "de"]},\n  "SECRET_KEY": "to-be-replaced"\n}';
    f.aws.putOutside('resumerag/production', existing);
    const request = { keys: [{ name: 'PII_ENC_KEY' }, { name: 'SECRET_KEY' }], target: 'aws', bundle: 'resumerag/production' };
    const plan = seen(await f.push.plan(request));
    assert.deepEqual(
      plan.items.map((i) => [i.secret, i.bundle, i.action, i.keptFields]),
      [['resumerag/production', true, 'update', 3]],
    );
    assert.deepEqual(
      plan.items[0]!.entries.map((e) => [e.field, e.change]),
      [
        ['PII_ENC_KEY', 'add'],
        ['SECRET_KEY', 'replace'],
      ],
    );
    const result = seen(await f.push.push(request, { confirmed: plan }));
    assert.equal(result.items[0]!.outcome, 'written', JSON.stringify(result.items[0]!.error));
    const stored = [...f.aws.secret('resumerag/production')!.versions.values()].find((v) => v.stages.has('AWSCURRENT'))!.value;
    const pii = (await f.vault.reveal({ name: 'PII_ENC_KEY' }, { reason: 'use' })).value;
    const secret = (await f.vault.reveal({ name: 'SECRET_KEY' }, { reason: 'use' })).value;
    assert.equal(
      stored,
      existing.replace('"to-be-replaced"', JSON.stringify(secret)).replace('\n}', `,\n  "PII_ENC_KEY": ${JSON.stringify(pii)}\n}`),
    );
    // What the guide's service does: json.loads(SecretString), then Fernet(the field).
    const check = await runPython<{ ok: boolean; fields: string[] }>({
      script: `from cryptography.fernet import Fernet\nd = json.loads(data['s'])\nf = Fernet(d['PII_ENC_KEY'])\nemit({'ok': f.decrypt(f.encrypt(b'x')) == b'x', 'fields': sorted(d)})`,
      input: { s: stored },
    });
    assert.deepEqual(check, { ok: true, fields: ['DATABASE_URL', 'FEATURES', 'PII_ENC_KEY', 'SECRET_KEY', 'WORKERS'] });
    assert.equal(seen(await f.push.plan(request)).items[0]!.action, 'unchanged');
    const line = (await pushLines()).at(-1)!;
    assert.deepEqual([line.key, line.version, line.target], ['PII_ENC_KEY,SECRET_KEY', undefined, 'aws:resumerag/production']);
  });

  test('a push retried after a dropped connection makes exactly one version', async () => {
    await f.vault.rotate('SECRET_KEY');
    f.canaries.push((await f.vault.reveal({ name: 'SECRET_KEY' }, { reason: 'use' })).value);
    await f.push.push({ keys: [{ name: 'SECRET_KEY', version: 1 }], target: 'aws' });
    const before = f.aws.secret('SECRET_KEY')!.versions.size;
    f.aws.fault({ kind: 'drop-after', action: 'PutSecretValue' });
    const result = seen(await f.push.push({ keys: [{ name: 'SECRET_KEY' }], target: 'aws' }));
    assert.equal(result.items[0]!.outcome, 'written');
    assert.equal(f.aws.secret('SECRET_KEY')!.versions.size - before, 1);
    // The whole push again (a user retrying after a crash): same token, no new version.
    const again = seen(await f.push.push({ keys: [{ name: 'SECRET_KEY' }], target: 'aws' }));
    assert.equal(again.items[0]!.outcome, 'unchanged');
    assert.equal(f.aws.secret('SECRET_KEY')!.versions.size - before, 1);
  });

  test('read-back catches a server that stores something else: the push fails, nothing is recorded, the audit line says so', async () => {
    const key = await store('tampered-key', 'fernet');
    f.aws.fault({ kind: 'tamper', action: 'CreateSecret' });
    const result = seen(await f.push.push({ keys: [{ name: 'tampered-key' }], target: 'aws' }));
    assert.equal(result.ok, false);
    assert.equal(result.items[0]!.error!.code, 'readback-mismatch');
    assert.match(
      result.items[0]!.error!.message,
      new RegExp(
        `returned a value with fingerprint hmac:[\\w-]+, not ${key.record.versions.at(-1)!.fingerprint}: it stores something else`,
      ),
    );
    assert.equal((await f.vault.show('tampered-key')).versions[0]!.pushes, undefined);
    const line = (await pushLines()).at(-1)!;
    assert.deepEqual([line.key, line.outcome, line.code], ['tampered-key', 'failed', 'readback-mismatch']);
  });

  test('a remote change Keyturn did not make is a conflict in the plan and is not overwritten without --force', async () => {
    await store('shared-key', 'secret');
    await f.push.push({ keys: [{ name: 'shared-key' }], target: 'aws' });
    await f.vault.rotate('shared-key');
    f.canaries.push((await f.vault.reveal({ name: 'shared-key' }, { reason: 'use' })).value);
    f.aws.putOutside('shared-key', 'someone-else-wrote-this-value');
    const plan = seen(await f.push.plan({ keys: [{ name: 'shared-key' }], target: 'aws' }));
    assert.equal(plan.items[0]!.action, 'conflict');
    const refused = seen(await f.push.push({ keys: [{ name: 'shared-key' }], target: 'aws' }));
    assert.deepEqual([refused.items[0]!.outcome, refused.items[0]!.error!.code], ['failed', 'conflict']);
    assert.equal(
      [...f.aws.secret('shared-key')!.versions.values()].find((v) => v.stages.has('AWSCURRENT'))!.value,
      'someone-else-wrote-this-value',
    );
    const forced = seen(await f.push.push({ keys: [{ name: 'shared-key' }], target: 'aws', force: true }));
    assert.equal(forced.items[0]!.outcome, 'written');
  });

  test('a plan confirmed earlier no longer holds when the secret changed since: nothing is written', async () => {
    await store('raced-key', 'secret');
    const plan = await f.push.plan({ keys: [{ name: 'raced-key' }], target: 'aws' });
    f.aws.putOutside('raced-key', 'created-meanwhile');
    const result = seen(await f.push.push({ keys: [{ name: 'raced-key' }], target: 'aws' }, { confirmed: plan }));
    assert.deepEqual([result.items[0]!.outcome, result.items[0]!.error!.code], ['failed', 'conflict']);
    assert.match(result.items[0]!.error!.message, /changed at aws after the plan was shown/);
  });

  test('--stage pending writes AWSPENDING only; promote makes it current and re-checks it', async () => {
    await store('staged-key', 'fernet');
    await f.push.push({ keys: [{ name: 'staged-key' }], target: 'aws' });
    await f.vault.rotate('staged-key');
    f.canaries.push((await f.vault.reveal({ name: 'staged-key' }, { reason: 'use' })).value);
    const staged = seen(await f.push.push({ keys: [{ name: 'staged-key' }], target: 'aws', stage: 'pending' }));
    assert.equal(staged.items[0]!.outcome, 'written', JSON.stringify(staged.items[0]!.error));
    const labels = () => [...f.aws.secret('staged-key')!.versions.values()].map((v) => [...v.stages].sort().join('+'));
    assert.deepEqual(labels(), ['AWSCURRENT', 'AWSPENDING']);
    const pending = (await f.push.status({ target: 'aws' })).items.filter((i) => i.key === 'staged-key');
    assert.deepEqual(
      pending.map((i) => [i.version, i.stage, i.state]),
      [[2, 'pending', 'in-sync']],
    );
    const promoted = seen(await f.push.promote({ target: 'aws', keys: [{ name: 'staged-key' }] }));
    assert.equal(promoted.items[0]!.versionId, staged.items[0]!.versionId);
    assert.deepEqual(labels(), ['AWSPREVIOUS', 'AWSCURRENT+AWSPENDING']);
    const record = (await f.vault.show('staged-key')).versions[1]!.pushes!;
    assert.deepEqual(
      record.map((p) => p.stage),
      ['current'],
    );
    assert.equal((await pushLines()).at(-1)!.action, 'promote');
    await assert.rejects(f.push.promote({ target: 'aws', keys: [{ name: 'PII_ENC_KEY' }] }), {
      code: 'not-found',
      message: /no staged push/,
    });
  });

  test('drift in all four states, with one read per secret; status reports never-pushed keys', async () => {
    for (const name of ['d-sync', 'd-changed', 'd-missing', 'd-newer']) await store(name, 'secret');
    await f.push.push({ keys: ['d-sync', 'd-changed', 'd-missing', 'd-newer'].map((name) => ({ name })), target: 'aws' });
    f.aws.putOutside('d-changed', 'changed-in-the-console');
    f.aws.scheduleDeletion('d-missing');
    await f.vault.rotate('d-newer');
    f.canaries.push((await f.vault.reveal({ name: 'd-newer' }, { reason: 'use' })).value);
    await store('never-pushed', 'secret');
    f.aws.resetCounts();
    const status = seen(await f.push.status({ target: 'aws' }));
    const states = Object.fromEntries(status.items.filter((i) => i.key.startsWith('d-')).map((i) => [i.key, i.state]));
    assert.deepEqual(states, { 'd-changed': 'remote-changed', 'd-missing': 'missing', 'd-newer': 'local-newer', 'd-sync': 'in-sync' });
    assert.equal(status.drift, true);
    assert.ok(status.notPushed.includes('never-pushed'));
    const secrets = new Set(status.items.map((i) => `${i.secret}|${i.stage === 'pending' ? i.remoteVersion : ''}`));
    assert.equal(f.aws.totalCalls(), secrets.size, 'one read per secret');
  });

  test('names and sizes are refused before any call', async () => {
    // Each value fits the keychain (64 KiB); together, in one bundle, they pass AWS's 65,536 bytes.
    for (const name of ['blob-a', 'blob-b']) {
      await f.vault.importFromEnv({
        name,
        file: await bigEnv(name, 40_000),
        variable: 'HUGE',
        kind: 'secret',
        envVar: name.toUpperCase().replace('-', '_'),
      });
      f.canaries.push((await f.vault.reveal({ name }, { reason: 'use' })).value);
    }
    f.aws.resetCounts();
    await assert.rejects(f.push.plan({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws', secretName: 'bad name!' }), {
      code: 'invalid-name',
    });
    assert.equal(f.aws.totalCalls(), 0);
    const result = seen(await f.push.push({ keys: [{ name: 'blob-a' }, { name: 'blob-b' }], target: 'aws', bundle: 'app/blobs' }));
    assert.equal(result.items[0]!.error!.code, 'value-too-large');
    assert.match(result.items[0]!.error!.message, /is 80\d{3} bytes; AWS Secrets Manager stores at most 65536 bytes/);
    assert.deepEqual(Object.fromEntries(f.aws.calls), { GetSecretValue: 1 }, 'the plan read only');
  });

  test('as a job: stopped after two secrets, resumed from its checkpoint, each secret written exactly once', async () => {
    const names = ['job-a', 'job-b', 'job-c', 'job-d', 'job-e', 'job-f', 'job-g', 'job-h', 'job-i'];
    for (const name of names) await store(name, 'fernet');
    const request = { keys: names.map((name) => ({ name })), target: 'aws' };
    const plan = await f.push.plan(request);
    const kind = createPushJobKind(() => f.push);
    const params = kind.params.parse({
      request,
      confirmed: { items: plan.items.map(({ secret, action, remoteVersion }) => ({ secret, action, remoteVersion })) },
    });
    const commits: PushCheckpoint[] = [];
    const controller = new AbortController();
    const context = (checkpoint: PushCheckpoint | undefined, signal: AbortSignal): JobContext<PushJobParams, PushCheckpoint> => ({
      id: 'job-1',
      params,
      checkpoint,
      signal,
      async commit(c) {
        commits.push(c);
        if (c.settled.length >= 2) controller.abort(new KeyturnError('cancelled', 'paused'));
      },
      report: () => undefined,
      note: () => undefined,
      output: async () => undefined,
      readOutput: async function* () {},
    });
    // A pause stops the push at the next secret and ends the run with the signal's reason: the runner settles it as paused.
    await assert.rejects(kind.run(context(undefined, controller.signal)), { code: 'cancelled', message: 'paused' });
    const checkpoint = commits.at(-1)!;
    const writtenFirst = checkpoint.settled.length;
    assert.ok(writtenFirst >= 2 && writtenFirst < names.length, `stopped part way (${writtenFirst} settled)`);
    const second = seen(await kind.run(context(checkpoint, new AbortController().signal)));
    assert.equal(second.ok, true, JSON.stringify(second.items.map((i) => i.error)));
    // Written before the stop (some perhaps after the signal, unverified then): now unchanged, never written twice.
    assert.ok(second.items.filter((i) => i.outcome === 'unchanged').length >= writtenFirst);
    assert.equal(second.items.filter((i) => i.outcome === 'written' || i.outcome === 'unchanged').length, names.length);
    for (const name of names) assert.equal(f.aws.secret(name)!.versions.size, 1, `${name} has one version`);
    assert.equal(kind.title(params), 'Push 9 keys to aws');
  });

  test('offline mode: the push stops before any connection', async () => {
    f.aws.resetCounts();
    await assert.rejects(f.withEnv({ KEYTURN_OFFLINE: '1' }).push({ keys: [{ name: 'PII_ENC_KEY' }], target: 'aws' }), { code: 'offline' });
    await assert.rejects(f.withEnv({ KEYTURN_OFFLINE: '1' }).status(), { code: 'offline' });
    assert.equal(f.aws.connections, 0);
  });
});

async function bigEnv(name: string, bytes: number): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { randomBytes } = await import('node:crypto');
  const file = join(f.dir, `${name}.env`);
  await writeFile(file, `HUGE=${randomBytes(bytes).toString('base64url').slice(0, bytes)}\n`);
  return file;
}
