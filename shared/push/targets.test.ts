// Target validation: each bad field gets its own sentence; URLs never carry a credential.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTarget, describeTarget, targetsFileSchema } from './targets.js';

test('AWS targets: region, profile, endpoint and KMS key are checked and normalised', () => {
  const t = checkTarget({ kind: 'aws', name: 'prod', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566/', kmsKeyId: 'alias/keyturn' });
  assert.deepEqual(t, { kind: 'aws', name: 'prod', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566', kmsKeyId: 'alias/keyturn' });
  assert.equal(describeTarget(t), 'aws eu-west-1 via http://127.0.0.1:4566');
  assert.ok(checkTarget({ kind: 'aws', name: 'gov', region: 'us-gov-west-1' }));
  assert.throws(() => checkTarget({ kind: 'aws', name: 'x', region: 'Europe' }), { code: 'invalid-input', message: /region/ });
  assert.throws(() => checkTarget({ kind: 'aws', name: '-x', region: 'eu-west-1' }), { message: /target name/ });
  assert.throws(() => checkTarget({ kind: 'aws', name: 'x', region: 'eu-west-1', endpoint: 'ftp://h' }), {
    message: /endpoint URL must start/,
  });
  assert.throws(() => checkTarget({ kind: 'aws', name: 'x', region: 'eu-west-1', endpoint: 'https://AKIA:secret@h' }), {
    message: /never stores a credential/,
  });
  assert.throws(() => checkTarget({ kind: 'aws', name: 'x', region: 'eu-west-1', kmsKeyId: 'a b' }), { message: /KMS key/ });
});

test('Azure targets: https vault URL without a path, credential kind, tenant, api-version, options', () => {
  const t = checkTarget({
    kind: 'azure',
    name: 'kv',
    vaultUrl: 'https://resumerag-kv.vault.azure.net/',
    credential: 'environment',
    apiVersion: '7.4',
    caFile: '/etc/ca.pem',
    challengeResourceCheck: false,
  });
  assert.deepEqual(t, {
    kind: 'azure',
    name: 'kv',
    vaultUrl: 'https://resumerag-kv.vault.azure.net',
    credential: 'environment',
    apiVersion: '7.4',
    caFile: '/etc/ca.pem',
    challengeResourceCheck: false,
  });
  const base = { kind: 'azure' as const, name: 'kv', credential: 'default' as const, challengeResourceCheck: true };
  assert.throws(() => checkTarget({ ...base, vaultUrl: 'http://kv.vault.azure.net' }), { message: /must start with https:/ });
  assert.throws(() => checkTarget({ ...base, vaultUrl: 'https://kv.vault.azure.net/secrets/x' }), { message: /without a path/ });
  assert.throws(() => checkTarget({ ...base, vaultUrl: 'https://kv.vault.azure.net', apiVersion: 'latest' }), { message: /api-version/ });
  assert.throws(() => checkTarget({ ...base, vaultUrl: 'https://kv.vault.azure.net', credential: 'password' as never }), {
    message: /credential is one of default, environment, cli, managed-identity/,
  });
  assert.throws(() => checkTarget({ ...base, vaultUrl: 'https://kv.vault.azure.net', tenant: 'a b' }), { message: /tenant/ });
});

test('the file schema accepts what checkTarget returns', () => {
  const file = { format: 1, targets: [checkTarget({ kind: 'aws', name: 'a', region: 'us-east-1' })] };
  assert.ok(targetsFileSchema.safeParse(file).success);
  assert.ok(!targetsFileSchema.safeParse({ format: 1, targets: [{ kind: 'aws', name: 'a', region: 'x' }] }).success);
});
