// An entry another tool stored under a Keyturn account is seen, so Keyturn never writes a second item over it: keytar's
// lookups carry its schema name and miss items that `secret-tool store` made, which a D-Bus search does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { createKeychain } from './create-keychain.js';

let s: SecretServiceSession;
before(async () => {
  s = await startSecretService({ unlocked: true });
  // libsecret connects to the bus named in this process's environment on first use.
  Object.assign(process.env, s.env);
});
after(async () => {
  await s?.stop();
});

test('holds() sees an entry secret-tool stored without keytar schema, which get() cannot see', async () => {
  const keychain = createKeychain('keyturn-holds-test', s.env);
  const stored = spawnSync('secret-tool', ['store', '--label', 'outside', 'service', 'keyturn-holds-test', 'account', 'app-key@v2'], {
    env: s.env,
    input: 'bGVmdC1ieS1hbm90aGVyLXRvb2w',
  });
  assert.equal(stored.status, 0);
  assert.equal(await keychain.get('app-key@v2'), null, 'keytar alone misses it');
  assert.equal(await keychain.holds('app-key@v2'), true);
  assert.equal(await keychain.holds('app-key@v3'), false);
  await keychain.set('own-key@v1', 'value-written-by-keytar');
  assert.equal(await keychain.holds('own-key@v1'), true);
});
