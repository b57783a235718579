// The push feature through the handler table as the hosts call it: payloads parsed first, a CA file from the page
// confined to the web root, targets added and listed, offline mode switched and seen by the service, and nothing
// sent while it is on.
import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IpcResult } from '../../../shared/ipc/result.js';
import type { Target } from '../../../shared/push/targets.js';
import { compose } from '../compose.js';
import { rootPathGuard } from '../files/path-guard.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { createHandlers, type HandlerTable } from './handlers.js';
import { invokeChannel } from './invoke.js';

let root: string;
let web: HandlerTable;

before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-push-handlers-')));
  await writeFile(join(root, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
  web = createHandlers({
    services: compose({ config: { home: join(root, 'home') }, keychain: new MemoryKeychain() }),
    host: { kind: 'web', paths: rootPathGuard(root) },
  });
});
after(() => rm(root, { recursive: true, force: true }));

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = (await invokeChannel(web, channel, payload)) as IpcResult<T>;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value;
}

const azure = (caFile: string) => ({
  kind: 'azure',
  name: 'kv',
  vaultUrl: 'https://kv.vault.azure.net',
  credential: 'environment',
  caFile,
  challengeResourceCheck: true,
});

test('malformed requests are refused before a handler runs', async () => {
  for (const [channel, payload] of [
    ['addTarget', { target: { kind: 'gcp', name: 'x' } }],
    ['addTarget', { target: { kind: 'aws', name: 'x', region: 'eu-west-1', accessKey: 'AKIA' } }],
    ['planPush', { keys: [], target: 'aws' }],
    ['planPush', { keys: [{ name: '../etc' }], target: 'aws' }],
    ['startJob', { kind: 'push', params: { request: { keys: [{ name: 'a' }], target: 'x', value: 'secret' } } }],
    ['setOfflineMode', { offline: 'yes' }],
  ] as const) {
    await assert.rejects(call(channel, payload), { code: 'invalid-input' }, `${channel} ${JSON.stringify(payload)}`);
  }
});

test('a CA file outside the web root is refused; inside it is stored as a real path; targets are listed', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'keyturn-ca-outside-'));
  try {
    await writeFile(join(outside, 'ca.pem'), 'x');
    await assert.rejects(call('addTarget', { target: azure(join(outside, 'ca.pem')) }), { code: 'forbidden' });
    const added = await call<Target>('addTarget', { target: azure(join(root, 'ca.pem')) });
    assert.equal(added.kind === 'azure' && added.caFile, join(root, 'ca.pem'));
    assert.deepEqual(
      (await call<Target[]>('listTargets', {})).map((t) => t.name),
      ['kv'],
    );
    assert.deepEqual(await call('removeTarget', { name: 'kv' }), { removed: 'kv' });
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});

test('the offline switch is saved for every host and process, and refuses a target test before any connection', async () => {
  assert.deepEqual(await call('offlineMode', {}), { offline: false });
  assert.deepEqual(await call('setOfflineMode', { offline: true }), { offline: true, reason: "the app's offline switch is on" });
  await call('addTarget', { target: { kind: 'aws', name: 'aws', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' } });
  await assert.rejects(call('testTarget', { name: 'aws' }), { code: 'offline' });
  // Another composition on the same home (the CLI, the other host) sees the saved switch.
  const other = compose({ config: { home: join(root, 'home') }, keychain: new MemoryKeychain() });
  assert.equal((await other.push.offlineMode()).offline, true);
  assert.deepEqual(await call('setOfflineMode', { offline: false }), { offline: false });
});
