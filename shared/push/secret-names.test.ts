// Name rules and the Azure mapping, checked on the edges the services document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSecretName, azureNameFor, defaultSecretName } from './secret-names.js';
import { assertSecretSize, MAX_SECRET_BYTES, utf8Length } from './size-limits.js';

test('Azure names map from key names: PII_ENC_KEY -> pii-enc-key, dots and underscores become hyphens', () => {
  assert.equal(azureNameFor('PII_ENC_KEY'), 'pii-enc-key');
  assert.equal(azureNameFor('app.jwt_signing-key'), 'app-jwt-signing-key');
  assert.equal(defaultSecretName('azure', 'SECRET_KEY'), 'secret-key');
  assert.equal(defaultSecretName('aws', 'SECRET_KEY'), 'SECRET_KEY');
  // Every key name maps to a valid Azure name.
  for (const name of ['a', 'A.B_C-D', `x${'_'.repeat(126)}`])
    assert.equal(assertSecretName('azure', azureNameFor(name)), azureNameFor(name));
});

test('AWS names: 1-512 of A-Za-z0-9/_+=.@-', () => {
  for (const ok of ['resumerag/production', 'a', 'x'.repeat(512), 'a+b=c.d@e-f_g/h']) assert.equal(assertSecretName('aws', ok), ok);
  for (const badName of ['', 'x'.repeat(513), 'has space', 'tab\t', 'ümlaut', 'semi;colon']) {
    assert.throws(() => assertSecretName('aws', badName), { code: 'invalid-name', message: /AWS Secrets Manager/ });
  }
});

test('Azure names: 1-127 of 0-9a-zA-Z-; the message never quotes a long or odd name', () => {
  assert.equal(assertSecretName('azure', 'pii-enc-key'), 'pii-enc-key');
  for (const badName of ['', 'x'.repeat(128), 'PII_ENC_KEY', 'a/b', 'a.b']) {
    assert.throws(() => assertSecretName('azure', badName), { code: 'invalid-name', message: /Azure Key Vault/ });
  }
  const odd = `BEGIN PRIVATE KEY\n${'A'.repeat(70)}`;
  assert.throws(
    () => assertSecretName('azure', odd),
    (error: Error) => !error.message.includes('PRIVATE') && /88-character name/.test(error.message),
  );
});

test('size limits are checked in UTF-8 bytes: AWS 65,536, Azure 25 KB', () => {
  assert.equal(MAX_SECRET_BYTES.aws, 65_536);
  assert.equal(MAX_SECRET_BYTES.azure, 25_600);
  assert.equal(utf8Length('é'), 2);
  assertSecretSize('aws', 's', 65_536);
  assert.throws(() => assertSecretSize('aws', 's', 65_537), { code: 'value-too-large', message: /65537 bytes.*at most 65536/ });
  assertSecretSize('azure', 's', 25_600);
  assert.throws(() => assertSecretSize('azure', 's', 25_601), { code: 'value-too-large' });
});
