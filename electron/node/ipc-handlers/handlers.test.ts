// The handler table both hosts run, through invokeChannel as the hosts call it: every channel answers, payloads are
// parsed first, values cross only on export, copy and reveal, and a job started here is followed to its report.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { CHANNELS } from '../../../shared/ipc/contract.js';
import type { IpcResult } from '../../../shared/ipc/result.js';
import { compose } from '../compose.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { dialogPathGuard, rootPathGuard } from '../files/path-guard.js';
import { createHandlers, type HandlerTable } from './handlers.js';
import { withDialogGrants } from './host-adapters.js';
import { invokeChannel } from './invoke.js';

let root: string;
let web: HandlerTable;
const clipboard: { value: string; ms: number }[] = [];
let desktop: HandlerTable;

before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-handlers-')));
  await mkdir(join(root, 'picked'));
  const services = compose({ config: { home: join(root, 'home') }, keychain: new MemoryKeychain() });
  web = createHandlers({ services, host: { kind: 'web', paths: rootPathGuard(root) } });
  desktop = createHandlers({
    services,
    host: {
      kind: 'electron',
      clipboard: {
        writeSecret: async (value, ms) => {
          clipboard.push({ value, ms });
        },
      },
      ...withDialogGrants(async () => [join(root, 'picked')], dialogPathGuard()),
    },
  });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function call<T>(table: HandlerTable, channel: string, payload: unknown): Promise<T> {
  const result = (await invokeChannel(table, channel, payload)) as IpcResult<T>;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value;
}

test('the table has exactly one handler per contract channel', () => {
  assert.deepEqual(Object.keys(web).sort(), [...CHANNELS].sort());
});

test('malformed payloads and unknown channels are refused before a handler runs', async () => {
  const cases: [string, unknown][] = [
    ['generateKey', { kind: 'rsa' }],
    ['revealKey', { name: '../x' }],
    ['startJob', { kind: 'envcheck', params: { paths: ['.'], cwd: '/' } }],
    ['startJob', { kind: 'shell', params: {} }],
    ['jobStatus', { jobId: '../../etc' }],
    ['nope', {}],
  ];
  for (const [channel, payload] of cases) {
    const result = await invokeChannel(web, channel, payload);
    assert.equal(result.ok, false, channel);
    if (!result.ok) assert.equal(result.error.code, 'invalid-input', channel);
  }
});

test('app info, keychain status and the file dialog differ by host only', async () => {
  assert.deepEqual((await call<{ features: unknown }>(web, 'appInfo', {})).features, { pickPaths: false, hostClipboard: false });
  assert.deepEqual((await call<{ features: unknown }>(desktop, 'appInfo', {})).features, { pickPaths: true, hostClipboard: true });
  assert.equal((await call<{ state: string }>(web, 'keychainStatus', {})).state, 'ok');
  await assert.rejects(call(web, 'pickPaths', { mode: 'files' }), { code: 'refused' });
  assert.deepEqual(await call(desktop, 'pickPaths', { mode: 'folder' }), { paths: [join(root, 'picked')] });
});

test('a draft keeps its value in the host until export or copy; the formats and their secrecy come from the service', async () => {
  const draft = await call<{ draftId: string; metadata: Record<string, unknown>; formats: string[] }>(web, 'generateKey', {
    kind: 'jwt-ec',
  });
  assert.deepEqual(draft.formats, ['text', 'json', 'env', 'pem', 'jwk', 'jwks']);
  assert.equal('secret' in draft.metadata, false);
  const jwks = await call<{ text: string; secret: boolean }>(web, 'exportDraft', { draftId: draft.draftId, format: 'jwks' });
  const pem = await call<{ text: string; secret: boolean }>(web, 'exportDraft', { draftId: draft.draftId, format: 'pem' });
  assert.equal(jwks.secret, false);
  assert.doesNotMatch(jwks.text, /"d"/);
  assert.equal(pem.secret, true);
  assert.match(pem.text, /PRIVATE KEY/);
  const copied = await call<{ via: string; value?: string }>(web, 'copyDraft', { draftId: draft.draftId });
  assert.equal(copied.via, 'renderer');
  assert.match(copied.value!, /PRIVATE KEY/);
  const hostCopy = await call<{ via: string; value?: string }>(desktop, 'copyDraft', {
    draftId: (await call<{ draftId: string }>(desktop, 'generateKey', { kind: 'fernet' })).draftId,
  });
  assert.deepEqual(hostCopy, { via: 'host', clearAfterMs: 30_000 });
  assert.equal(clipboard.length, 1);
  assert.match(clipboard[0]!.value, /^[A-Za-z0-9_-]{43}=$/);
  assert.equal((await call<{ discarded: boolean }>(web, 'discardDraft', { draftId: draft.draftId })).discarded, true);
  await assert.rejects(call(web, 'exportDraft', { draftId: draft.draftId, format: 'pem' }), { code: 'not-found' });
});

test('a stored key is listed without its value, revealed on request, rotated, retired and deleted, every step audited', async () => {
  const draft = await call<{ draftId: string }>(web, 'generateKey', { kind: 'fernet' });
  const exported = await call<{ text: string }>(web, 'exportDraft', { draftId: draft.draftId, format: 'text' });
  await call(web, 'storeDraft', { draftId: draft.draftId, name: 'pii-enc-key' });
  const listed = JSON.stringify(await call(web, 'listKeys', {}));
  assert.ok(!listed.includes(exported.text.trim()), 'no value in the listing');
  const revealed = await call<{ value: string; version: number }>(web, 'revealKey', { name: 'pii-enc-key' });
  assert.equal(revealed.value, exported.text.trim());
  await call(web, 'rotateKey', { name: 'pii-enc-key' });
  await call(web, 'retireKeyVersion', { name: 'pii-enc-key', version: 1 });
  await assert.rejects(call(web, 'deleteKey', { name: 'pii-enc-key', confirmName: 'pii' }), { code: 'refused' });
  assert.deepEqual(await call(web, 'deleteKey', { name: 'pii-enc-key', confirmName: 'pii-enc-key' }), { deleted: 'pii-enc-key' });
  const actions = (await call<{ action: string; key: string }[]>(web, 'auditList', {}))
    .filter((e) => e.key === 'pii-enc-key')
    .map((e) => e.action);
  assert.deepEqual(actions, ['store', 'reveal', 'rotate', 'retire', 'delete']);
  assert.equal((await call<{ ok: boolean }>(web, 'auditVerify', {})).ok, true);
});

test('paths from the page are confined: outside the web root, or before the desktop user picked them, nothing is read', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'keyturn-outside-'));
  try {
    await writeFile(join(outside, '.env'), 'SECRET_KEY=changeme\n');
    for (const [channel, payload] of [
      ['envCheck', { paths: [outside] }],
      ['envCheck', { paths: [root], schemaFile: join(outside, '.env') }],
      ['envFix', { file: join(outside, '.env') }],
      ['startJob', { kind: 'envcheck', params: { paths: [outside] } }],
    ] as const) {
      await assert.rejects(call(web, channel, payload), { code: 'forbidden' }, `${channel} ${JSON.stringify(payload)}`);
    }
    const services = compose({ config: { home: join(root, 'home2') }, keychain: new MemoryKeychain() });
    const fresh = createHandlers({
      services,
      host: { kind: 'electron', ...withDialogGrants(async () => [join(root, 'picked')], dialogPathGuard()) },
    });
    await assert.rejects(call(fresh, 'envCheck', { paths: [join(root, 'picked')] }), { code: 'forbidden' });
    await call(fresh, 'pickPaths', { mode: 'folder' });
    assert.equal((await call<EnvReport>(fresh, 'envCheck', { paths: [join(root, 'picked')] })).files.length, 0);
    await assert.rejects(call(fresh, 'envCheck', { paths: [root] }), { code: 'forbidden' });
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});

test('a check started as a job runs on after the request and ends with the report a direct check gives', async () => {
  const tree = join(root, 'tree');
  await mkdir(join(tree, 'api'), { recursive: true });
  await writeFile(join(tree, 'api', '.env'), 'SECRET_KEY=changeme\n', { mode: 0o600 });
  const direct = await call<EnvReport>(web, 'envCheck', { paths: [tree] });
  const { jobId } = await call<{ jobId: string }>(web, 'startJob', { kind: 'envcheck', params: { paths: [tree] } });
  let status: { job: { state: string; result?: unknown }; events: { type: string }[] } | undefined;
  for (let i = 0; i < 500; i++) {
    status = await call(web, 'jobStatus', { jobId });
    if (status!.job.state === 'done') break;
    await sleep(10);
  }
  assert.equal(status!.job.state, 'done');
  assert.deepEqual(status!.job.result, direct);
  assert.ok((await call<{ id: string }[]>(web, 'listJobs', {})).some((j) => j.id === jobId));
  await assert.rejects(call(web, 'pauseJob', { jobId }), { code: 'refused' });
  assert.equal((await call<{ length: number }>(web, 'envProfiles', {})).length, 5);
});
