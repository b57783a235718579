// `keyturn rotate` as compose wires it, in child processes on a real gnome-keyring: a plan names the push target's
// bundle the key was pushed to before (loopback Secrets Manager), the .env write runs through `rotate run-step` and
// leaves the MultiFernet list that Python's cryptography reads, and the JWKS export holds both kids and public keys
// only, checked against the private keys with cryptography. No value on any output or in KEYTURN_HOME.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { RotationPlan } from '../../../shared/rotation/types.js';
import { AwsSecretsServer } from '../../../test/support/aws-secrets-server.js';
import { awsTestEnv } from '../../../test/support/cloud-env.js';
import { LOOPBACK_GUARD_IMPORT } from '../../../test/support/loopback-guard.js';
import { runPython } from '../../../test/support/python.js';
import { runCli, type CliRun } from '../../../test/support/run-cli.js';
import { assertNothingLeft } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { createKeychain } from '../../node/keychain/create-keychain.js';
import { nodeKeyCrypto } from '../../node/services/node-key-crypto.js';
import { createVaultService, type VaultService } from '../../node/services/vault-service.js';
import { HomeStore } from '../../node/store/home-store.js';

const SERVICE = 'keyturn-rotate-wiring';
let session: SecretServiceSession;
const aws = new AwsSecretsServer({ region: 'eu-west-1' });
const dir = mkdtempSync(join(tmpdir(), 'keyturn-rotate-wiring-'));
const app = join(dir, 'app');
const netLog = join(dir, 'net.log');
const runs: CliRun[] = [];
const canaries: string[] = [];
let env: NodeJS.ProcessEnv;
let vault: VaultService;

async function ok(args: string[]): Promise<CliRun> {
  const run = await runCli(args, { env, cwd: app });
  runs.push(run);
  assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  return run;
}

const planOf = async (args: string[]): Promise<RotationPlan> =>
  JSON.parse((await ok([...args, '--format', 'json'])).stdout) as RotationPlan;
const stepOf = (plan: RotationPlan, op: string) => plan.steps.find((s) => s.action?.op === op)!;

async function value(name: string, version: number): Promise<string> {
  const { value: v } = await vault.reveal({ name, version }, { reason: 'use', target: 'test oracle' });
  canaries.push(v);
  return v;
}

before(async () => {
  session = await startSecretService({ unlocked: true });
  await aws.start();
  mkdirSync(app);
  env = {
    ...session.env,
    ...awsTestEnv(dir),
    KEYTURN_KEYCHAIN_SERVICE: SERVICE,
    KEYTURN_TEST_NET_LOG: netLog,
    NODE_OPTIONS: LOOPBACK_GUARD_IMPORT,
  };
  Object.assign(process.env, session.env);
  // Keys are made in this process on the keyring and home the CLI children use (fewer slow child starts).
  vault = createVaultService({
    home: new HomeStore(session.keyturnHome),
    keychain: createKeychain(SERVICE, session.env),
    crypto: nodeKeyCrypto,
    timeoutMs: 10_000,
  });
  canaries.push((await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' }, envVar: 'PII_ENC_KEY' })).key.secret);
  canaries.push((await vault.generateAndStore({ name: 'jwt-signing-key', options: { kind: 'jwt-rsa', bits: 2048 } })).key.secret);
});

after(async () => {
  try {
    assertNothingLeft({ printed: runs.map((r) => r.stdout + r.stderr).join('\n'), canaries, home: session.keyturnHome, netLog });
  } finally {
    await aws.stop();
    await session.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('keyturn rotate with targets, .env writes and JWKS exports (child processes)', { timeout: 300_000 }, () => {
  test('a plan pushes to the bundle of the earlier push; its .env step writes the MultiFernet list Python reads', async () => {
    writeFileSync(join(app, 'app.env'), 'PII_ENC_KEY=placeholder-not-a-key\nOTHER=1\n', { mode: 0o644 });
    await ok(['targets', 'add', 'aws', 'aws-test', '--region', 'eu-west-1', '--endpoint', aws.url]);
    await ok(['push', 'pii-enc-key', '--to', 'aws-test', '--bundle', 'app/prod', '--yes']);
    const plan = await planOf(['rotate', 'plan', 'pii-enc-key', '--target', 'aws-test', '--env-file', 'app.env', '--id', 'pii-1']);
    const push = stepOf(plan, 'push');
    const promote = stepOf(plan, 'promote');
    assert.deepEqual(push.action, { op: 'push', key: 'pii-enc-key', version: 2, target: 'aws-test', stage: 'pending', bundle: 'app/prod' });
    assert.equal(push.command, 'keyturn push pii-enc-key@v2 --to aws-test --bundle app/prod --stage pending --yes');
    assert.deepEqual(promote.action, { op: 'promote', key: 'pii-enc-key', version: 2, target: 'aws-test' });
    assert.deepEqual([push.runner.mode, promote.runner.mode], ['automatic', 'automatic']);

    const both = stepOf(plan, 'env-set');
    assert.deepEqual(both.action, { op: 'env-set', file: 'app.env', variable: 'PII_ENC_KEY', refs: ['pii-enc-key@v2', 'pii-enc-key@v1'] });
    assert.equal(both.runner.mode, 'automatic');
    await ok(['rotate', 'run-step', 'pii-1', '1', '--yes']);
    await ok(['rotate', 'run-step', 'pii-1', '2', '--yes']);
    for (const s of plan.steps.slice(2, both.n - 1))
      await ok(['rotate', 'done', 'pii-1', String(s.n), '--note', 'done by hand in the test']);
    const ran = await ok(['rotate', 'run-step', 'pii-1', String(both.n), '--yes']);
    assert.match(
      ran.stdout,
      /Step \d+ done: Wrote PII_ENC_KEY = pii-enc-key@v2,pii-enc-key@v1 into .*app\.env \(replaced, line 1\); the file before is kept as .*app\.env\.1\.bak\./,
    );

    const file = join(app, 'app.env');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(`${file}.1.bak`, 'utf8'), 'PII_ENC_KEY=placeholder-not-a-key\nOTHER=1\n');
    const [v1, v2] = [await value('pii-enc-key', 1), await value('pii-enc-key', 2)];
    // The oracle: python-dotenv reads the file as the application does, cryptography's MultiFernet takes the list.
    const judged = await runPython<{ keys: number; current: boolean; old: boolean; other: string }>({
      input: { file, v1, v2 },
      script: `from dotenv import dotenv_values
from cryptography.fernet import Fernet, MultiFernet
vals = dotenv_values(data['file'])
keys = vals['PII_ENC_KEY'].split(',')
multi = MultiFernet([Fernet(k) for k in keys])
emit({'keys': len(keys),
      'current': Fernet(data['v2']).decrypt(multi.encrypt(b'row')) == b'row',
      'old': multi.decrypt(Fernet(data['v1']).encrypt(b'row')) == b'row',
      'other': vals['OTHER']})`,
    });
    assert.deepEqual(judged, { keys: 2, current: true, old: true, other: '1' });
    const audit = readFileSync(join(session.keyturnHome, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    assert.deepEqual(
      audit.filter((e) => e.action === 'env-write').map((e) => [e.target, e.outcome, e.detail]),
      [[file, 'ok', 'PII_ENC_KEY <- pii-enc-key v2, pii-enc-key v1; mode 644 -> 600']],
    );
  });

  test('a JWKS export step writes both kids and no private member; the public keys match the keychain', async () => {
    const plan = await planOf(['rotate', 'plan', 'jwt-signing-key', '--id', 'jwt-1']);
    const exportStep = stepOf(plan, 'jwks-export');
    assert.deepEqual(exportStep.action, { op: 'jwks-export', key: 'jwt-signing-key', file: 'jwks.json' });
    assert.equal(exportStep.runner.mode, 'automatic');
    const alone = plan.steps.filter((s) => s.action?.op === 'jwks-export')[1]!;
    assert.deepEqual(alone.action, { op: 'jwks-export', key: 'jwt-signing-key', file: 'jwks.json', version: 2 });
    for (const s of plan.steps.slice(0, exportStep.n - 1)) await ok(['rotate', 'run-step', 'jwt-1', String(s.n), '--yes']);
    const ran = await ok(['rotate', 'run-step', 'jwt-1', String(exportStep.n), '--yes']);
    assert.match(ran.stdout, /Wrote a JWKS of jwt-signing-key@v2, jwt-signing-key@v1 to .*jwks\.json \(kids .*\); public keys only\./);

    const file = join(app, 'jwks.json');
    assert.equal(statSync(file).mode & 0o777, 0o644);
    const jwks = JSON.parse(readFileSync(file, 'utf8')) as { keys: Record<string, string>[] };
    const record = await vault.show('jwt-signing-key');
    const kid = (v: number) => record.versions.find((x) => x.version === v)!.fingerprint.replace(/^jwk-thumbprint:/, '');
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      [kid(2), kid(1)],
    );
    for (const k of jwks.keys)
      assert.deepEqual(
        ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'].filter((m) => m in k),
        [],
        'no private member',
      );
    const pems = [await value('jwt-signing-key', 2), await value('jwt-signing-key', 1)];
    const moduli = await runPython<string[]>({
      input: pems,
      script: `from cryptography.hazmat.primitives.serialization import load_pem_private_key
def b64(n):
    raw = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return base64.urlsafe_b64encode(raw).rstrip(b'=').decode()
emit([b64(load_pem_private_key(p.encode(), None).public_key().public_numbers().n) for p in data])`,
    });
    assert.deepEqual(
      jwks.keys.map((k) => k.n),
      moduli,
    );
  });
});
