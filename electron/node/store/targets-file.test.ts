// targets.json: validated adds, refused duplicates, removal, atomic writes with a backup, a damaged file reported with
// the way back, and never a credential in it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HomeStore } from './home-store.js';
import { createTargetsStore } from './targets-file.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-targets-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => createTargetsStore(new HomeStore(join(root, `home-${(n += 1)}`)));

test('add, list, show, replace, remove; the file is sorted JSON, owner-only, with a backup of the previous version', async () => {
  const store = fresh();
  assert.deepEqual(await store.list(), []);
  await store.add({
    kind: 'azure',
    name: 'kv',
    vaultUrl: 'https://resumerag-kv.vault.azure.net/',
    credential: 'default',
    challengeResourceCheck: true,
  });
  await store.add({ kind: 'aws', name: 'aws-prod', region: 'us-east-1', profile: 'prod' });
  assert.deepEqual(
    (await store.list()).map((t) => t.name),
    ['aws-prod', 'kv'],
  );
  assert.deepEqual(await store.get('kv'), {
    kind: 'azure',
    name: 'kv',
    vaultUrl: 'https://resumerag-kv.vault.azure.net',
    credential: 'default',
    challengeResourceCheck: true,
  });
  await assert.rejects(store.add({ kind: 'aws', name: 'kv', region: 'us-east-1' }), { code: 'already-exists' });
  await store.add({ kind: 'aws', name: 'kv', region: 'eu-west-1' }, { replace: true });
  assert.equal((await store.get('kv')).kind, 'aws');
  assert.equal(statSync(store.path).mode & 0o777, 0o600);
  assert.match(readFileSync(`${store.path}.bak`, 'utf8'), /"aws-prod"/);
  await store.remove('kv');
  await assert.rejects(store.get('kv'), { code: 'not-found', message: /there are aws-prod/ });
  await assert.rejects(store.remove('nope'), { code: 'not-found' });
});

test('bad input is refused with its own sentence and nothing is written; a URL with a password never reaches the file', async () => {
  const store = fresh();
  await assert.rejects(
    store.add({ kind: 'aws', name: 'x', region: 'eu-west-1', endpoint: 'https://AKIAEXAMPLE:wJalrXUtnFEMI@localstack:4566' }),
    {
      code: 'invalid-input',
      message: /never stores a credential/,
    },
  );
  await assert.rejects(
    store.add({ kind: 'azure', name: 'y', vaultUrl: 'https://u:pw@kv.vault.azure.net', credential: 'cli', challengeResourceCheck: true }),
    {
      code: 'invalid-input',
    },
  );
  assert.deepEqual(await store.list(), []);
  assert.throws(() => statSync(store.path), { code: 'ENOENT' });
});

test('a damaged file is reported with the way back, not replaced', async () => {
  const store = fresh();
  await store.add({ kind: 'aws', name: 'a', region: 'eu-west-1' });
  writeFileSync(store.path, '{ not json');
  await assert.rejects(store.list(), { code: 'io', message: /not valid JSON; restore it from .*targets\.json\.bak/ });
  writeFileSync(store.path, JSON.stringify({ format: 1, targets: [{ kind: 'aws', name: 'a', region: 'nowhere' }] }));
  await assert.rejects(store.list(), { code: 'io', message: /not a Keyturn targets file \(problem at "targets\.0\.region"\)/ });
  await assert.rejects(store.add({ kind: 'aws', name: 'b', region: 'eu-west-1' }), { code: 'io' });
});
