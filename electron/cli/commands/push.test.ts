// `keyturn targets` and `keyturn push` as child processes with the real SDKs against the loopback AWS server (SigV4
// checked) and Azure vault (HTTPS, bearer challenge, authority host), a real gnome-keyring, and a guard in every child
// that refuses and records any connection beyond 127.0.0.1. No value in any output or file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createKeychain } from '../../node/keychain/create-keychain.js';
import { nodeKeyCrypto } from '../../node/services/node-key-crypto.js';
import { createVaultService, type VaultService } from '../../node/services/vault-service.js';
import { HomeStore } from '../../node/store/home-store.js';
import { AwsSecretsServer } from '../../../test/support/aws-secrets-server.js';
import { AzureTestCloud } from '../../../test/support/azure-test-cloud.js';
import { awsTestEnv, azureTestEnv, bareCloudEnv } from '../../../test/support/cloud-env.js';
import { LOOPBACK_GUARD_IMPORT } from '../../../test/support/loopback-guard.js';
import { runCli, type CliRun } from '../../../test/support/run-cli.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { assertNothingLeft } from '../../../test/support/secret-scan.js';

let session: SecretServiceSession;
const aws = new AwsSecretsServer({ region: 'eu-west-1' });
const azure = new AzureTestCloud();
const dir = mkdtempSync(join(tmpdir(), 'keyturn-push-cli-'));
const netLog = join(dir, 'net.log');
const runs: CliRun[] = [];
const canaries: string[] = [];
let env: NodeJS.ProcessEnv;

async function cli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const run = await runCli(args, { env: { ...env, ...options.env }, ...(options.input !== undefined ? { input: options.input } : {}) });
  runs.push(run);
  assert.ok(!/\n\s+at .*\(.*:\d+:\d+\)/.test(run.stderr), `no stack trace: ${run.stderr}`);
  return run;
}

let vault: VaultService;

/** Keys are made in this process, on the same keyring and home the CLI children use (fewer slow child starts). */
async function storeKey(name: string, kind: 'fernet' | 'secret'): Promise<void> {
  canaries.push((await vault.generateAndStore({ name, options: { kind } })).key.secret);
}

before(async () => {
  session = await startSecretService({ unlocked: true });
  await aws.start();
  await azure.start();
  env = {
    ...session.env,
    ...awsTestEnv(dir),
    ...azureTestEnv(dir, azure.authorityHost),
    KEYTURN_KEYCHAIN_SERVICE: 'keyturn-push-cli',
    KEYTURN_TEST_NET_LOG: netLog,
    NODE_OPTIONS: LOOPBACK_GUARD_IMPORT,
  };
  Object.assign(process.env, session.env);
  vault = createVaultService({
    home: new HomeStore(session.keyturnHome),
    keychain: createKeychain('keyturn-push-cli', session.env),
    crypto: nodeKeyCrypto,
    timeoutMs: 10_000,
  });
  await storeKey('PII_ENC_KEY', 'fernet');
  await storeKey('SECRET_KEY', 'secret');
});

after(async () => {
  try {
    assertNothingLeft({ printed: runs.map((r) => r.stdout + r.stderr).join('\n'), canaries, home: session.keyturnHome, netLog });
  } finally {
    await aws.stop();
    await azure.stop();
    await session.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('keyturn targets and push (child processes, real SDKs, loopback servers)', { timeout: 240_000 }, () => {
  test('targets add|list|show|test|remove; a URL holding a credential is refused with exit 2', async () => {
    const [addAws, addAzure, bad] = await Promise.all([
      cli(['targets', 'add', 'aws', 'prod', '--region', 'eu-west-1', '--endpoint', aws.url]),
      cli([
        'targets',
        'add',
        'azure',
        'kv',
        '--vault-url',
        azure.vaultUrl,
        '--credential',
        'environment',
        '--ca-file',
        azure.tls.certPath,
        '--no-challenge-resource-check',
      ]),
      cli(['targets', 'add', 'aws', 'leaky', '--region', 'eu-west-1', '--endpoint', 'https://AKIAXX:secret@127.0.0.1:1']),
    ]);
    assert.equal(addAws.code, 0, addAws.stderr);
    assert.equal(addAzure.code, 0, addAzure.stderr);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /never stores a credential/);
    const [list, show, testAws, testAzure] = await Promise.all([
      cli(['targets', 'list', '--json']),
      cli(['targets', 'show', 'kv']),
      cli(['targets', 'test', 'prod']),
      cli(['targets', 'test', 'kv']),
    ]);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { targets: { name: string }[] }).targets.map((t) => t.name),
      ['kv', 'prod'],
    );
    assert.match(show.stdout, /challenge check\s+off \(custom domain\)/);
    assert.equal(testAws.code, 0, testAws.stderr);
    assert.match(testAws.stdout, /^prod: reachable, authenticated as access key \.\.\.0001 \(\d+\.\d s\)\.\n$/);
    assert.match(testAzure.stdout, /^kv: reachable, authenticated as app [0-9a-f-]+ \(tenant [0-9a-f-]+\)/);
    const removed = await cli(['targets', 'remove', 'kv', '--json']);
    assert.deepEqual(JSON.parse(removed.stdout), { removed: 'kv' });
    assert.equal(
      (
        await cli([
          'targets',
          'add',
          'azure',
          'kv',
          '--vault-url',
          azure.vaultUrl,
          '--credential',
          'environment',
          '--ca-file',
          azure.tls.certPath,
          '--no-challenge-resource-check',
        ])
      ).code,
      0,
    );
  });

  test('push: the plan is shown and a "no" writes nothing; --json needs --yes; "y" pushes and reads back', async () => {
    const dry = await cli(['push', 'PII_ENC_KEY', 'SECRET_KEY', '--to', 'kv', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /create\s+pii-enc-key \(from PII_ENC_KEY\)/);
    assert.match(dry.stdout, /create\s+secret-key \(from SECRET_KEY\)/);
    assert.match(dry.stdout, /2 create, 0 update, 0 unchanged, 0 conflict\./);
    const [json, no] = await Promise.all([
      cli(['push', 'PII_ENC_KEY', '--to', 'kv', '--json']),
      cli(['push', 'PII_ENC_KEY', '--to', 'kv'], { input: 'n\n' }),
    ]);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /--json cannot ask for confirmation: add --yes/);
    assert.equal(no.code, 1);
    assert.match(no.stderr, /Push 1 secret to kv\? \[y\/N\] .*Not confirmed; nothing was pushed/s);
    assert.equal(azure.secrets.size, 0);
    const yes = await cli(['push', 'PII_ENC_KEY', 'SECRET_KEY', '--to', 'kv', '--expires-in', '30'], { input: 'y\n' });
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /written\s+pii-enc-key \(from PII_ENC_KEY\)\s+version [0-9a-f]{32}/);
    assert.match(yes.stdout, /Done: 2 written and read back, 0 unchanged\./);
    assert.equal(azure.latest('pii-enc-key')!.contentType, 'application/x-fernet-key');
  });

  test('a bundle for the guide: resumerag/production on AWS as JSON; status in sync, then drift exits 1', async () => {
    const push = await cli(['push', 'PII_ENC_KEY', 'SECRET_KEY', '--to', 'prod', '--bundle', 'resumerag/production', '--yes', '--json']);
    assert.equal(push.code, 0, push.stderr);
    const out = JSON.parse(push.stdout) as {
      plan: { items: { action: string }[] };
      result: { ok: boolean; items: { outcome: string; versionId: string }[] };
    };
    assert.deepEqual([out.plan.items[0]!.action, out.result.ok, out.result.items[0]!.outcome], ['create', true, 'written']);
    const stored = JSON.parse([...aws.secret('resumerag/production')!.versions.values()][0]!.value) as Record<string, string>;
    assert.deepEqual(Object.keys(stored), ['PII_ENC_KEY', 'SECRET_KEY']);
    const inSync = await cli(['push', 'status', '--to', 'prod', '--json']);
    assert.equal(inSync.code, 0, inSync.stdout + inSync.stderr);
    assert.deepEqual(
      (JSON.parse(inSync.stdout) as { items: { state: string }[] }).items.map((i) => i.state),
      ['in-sync', 'in-sync'],
    );
    aws.putOutside('resumerag/production', JSON.stringify({ ...stored, SECRET_KEY: 'edited-in-the-console' }));
    const drift = await cli(['push', 'status']);
    assert.equal(drift.code, 1);
    assert.match(drift.stdout, /SECRET_KEY\s+v1\s+v1\s+prod\s+resumerag\/production#SECRET_KEY\s+remote-changed/);
    assert.match(drift.stdout, /PII_ENC_KEY\s+v1\s+v1\s+prod\s+resumerag\/production#PII_ENC_KEY\s+in-sync/);
    assert.match(drift.stdout, /Drift found/);
  });

  test('--stage pending, then push promote; as a job too', async () => {
    await storeKey('staged', 'fernet');
    assert.equal((await cli(['push', 'staged', '--to', 'prod', '--yes'])).code, 0);
    await vault.rotate('staged');
    canaries.push((await vault.reveal({ name: 'staged' }, { reason: 'use' })).value);
    const staged = await cli(['push', 'staged', '--to', 'prod', '--stage', 'pending', '--yes', '--job']);
    assert.equal(staged.code, 0, staged.stderr);
    assert.match(staged.stdout, /written\s+staged\s+version [0-9a-f-]{36} \(AWSPENDING\)/);
    const labels = () => [...aws.secret('staged')!.versions.values()].map((v) => [...v.stages].sort().join('+'));
    assert.deepEqual(labels(), ['AWSCURRENT', 'AWSPENDING']);
    const promoted = await cli(['push', 'promote', 'staged', '--to', 'prod']);
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(promoted.stdout, /^Promoted staged@v2: staged at prod now holds version [0-9a-f-]{36} as current\.\n$/);
    assert.deepEqual(labels(), ['AWSPREVIOUS', 'AWSCURRENT+AWSPENDING']);
    assert.match(staged.stderr, /pushing as job [A-Za-z0-9_-]+; Ctrl\+C pauses it/);
  });

  test('errors are one coded sentence on stderr: invalid name (exit 2), no credentials, offline (no connection)', async () => {
    const before = aws.connections;
    const [name, bare, offline] = await Promise.all([
      cli(['push', 'PII_ENC_KEY', '--to', 'kv', '--secret-name', 'PII_ENC_KEY', '--dry-run']),
      cli(['push', 'PII_ENC_KEY', '--to', 'prod', '--dry-run'], {
        env: { ...bareCloudEnv(dir), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_ENDPOINT_URL: '' },
      }),
      cli(['push', 'PII_ENC_KEY', '--to', 'prod', '--yes'], { env: { KEYTURN_OFFLINE: '1' } }),
    ]);
    assert.equal(name.code, 2);
    assert.match(name.stderr, /^keyturn: "PII_ENC_KEY" is not a valid Azure Key Vault secret name: .* \[invalid-name\]\n$/);
    assert.equal(bare.code, 1);
    assert.match(
      bare.stderr,
      /^keyturn: No AWS credentials were found .*tried environment variables .*instance metadata is switched off.* \[no-credentials\]\n$/,
    );
    assert.equal(offline.code, 1);
    assert.match(
      offline.stderr,
      /offline mode \(KEYTURN_OFFLINE is set\), so it did not contact AWS Secrets Manager; nothing was sent\. .*\[offline\]/,
    );
    assert.equal(aws.connections, before, 'no connection: credentials missing, or offline');
  });
});
