// The handler table both hosts run, through invokeChannel as the hosts call it: every channel answers, payloads are
// parsed first, values cross only on export, copy and reveal, and a job started here is followed to its report.
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
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
import { createAskingGate } from '../release-gate/asking-gate.js';
import type { ReleaseRequest } from '../release-gate/release-gate.js';
import { createTerminalCodeGate } from '../release-gate/terminal-code-gate.js';
import { withDialogGrants } from './host-adapters.js';
import { invokeChannel } from './invoke.js';

let root: string;
let web: HandlerTable;
const clipboard: { value: string; ms: number }[] = [];
let desktop: HandlerTable;
/** What `keyturn serve` printed on its terminal (the codes the user types), and what the desktop dialog was asked. */
const terminal: string[] = [];
const asked: ReleaseRequest[] = [];
let answer = true;

before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-handlers-')));
  await mkdir(join(root, 'picked'));
  const services = compose({ config: { home: join(root, 'home') }, keychain: new MemoryKeychain() });
  const release = createTerminalCodeGate({ announce: (line) => terminal.push(line) });
  web = createHandlers({ services, host: { kind: 'web', paths: rootPathGuard(root), release } });
  desktop = createHandlers({
    services,
    host: {
      kind: 'electron',
      clipboard: {
        writeSecret: async (value, ms) => {
          clipboard.push({ value, ms });
        },
      },
      release: createAskingGate(async (request) => {
        asked.push(request);
        return answer;
      }),
      ...withDialogGrants(async () => [join(root, 'picked')], dialogPathGuard()),
    },
  });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function call<T>(table: HandlerTable, channel: string, payload: unknown): Promise<T> {
  const result = (await invokeChannel(table, channel, payload)) as IpcResult<T>;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code, details: result.error.details });
  return result.value;
}

/** The code the terminal showed last, as the user reads it ("1234 5678"). */
function lastCode(): string {
  return /type (\d{4} \d{4}) in the page/.exec(terminal.at(-1) ?? '')![1]!;
}

/** A web call that lets a secret out: asked once, refused with a challenge, then sent again with the terminal's code. */
async function confirmedCall<T>(channel: string, payload: Record<string, unknown>): Promise<T> {
  const first = (await invokeChannel(web, channel, payload)) as IpcResult<T>;
  if (first.ok) assert.fail(`${channel} let a value out without a confirmation`);
  assert.equal(first.error.code, 'confirmation-required');
  const { challenge } = first.error.details as { challenge: string };
  return call<T>(web, channel, { ...payload, confirmation: { challenge, code: lastCode() } });
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
  const pem = await confirmedCall<{ text: string; secret: boolean }>('exportDraft', { draftId: draft.draftId, format: 'pem' });
  assert.equal(jwks.secret, false);
  assert.doesNotMatch(jwks.text, /"d"/);
  assert.equal(pem.secret, true);
  assert.match(pem.text, /PRIVATE KEY/);
  const copied = await confirmedCall<{ via: string; value?: string }>('copyDraft', { draftId: draft.draftId });
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
  const exported = await confirmedCall<{ text: string }>('exportDraft', { draftId: draft.draftId, format: 'text' });
  await call(web, 'storeDraft', { draftId: draft.draftId, name: 'pii-enc-key' });
  const listed = JSON.stringify(await call(web, 'listKeys', {}));
  assert.ok(!listed.includes(exported.text.trim()), 'no value in the listing');
  const revealed = await confirmedCall<{ value: string; version: number }>('revealKey', { name: 'pii-enc-key' });
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
      host: {
        kind: 'electron',
        release: createAskingGate(async () => false),
        ...withDialogGrants(async () => [join(root, 'picked')], dialogPathGuard()),
      },
    });
    await assert.rejects(call(fresh, 'envCheck', { paths: [join(root, 'picked')] }), { code: 'forbidden' });
    await call(fresh, 'pickPaths', { mode: 'folder' });
    assert.equal((await call<EnvReport>(fresh, 'envCheck', { paths: [join(root, 'picked')], allowEmpty: true })).files.length, 0);
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

test('envFix from the page writes only files named like .env files, and never a file with lines that are not variables', async () => {
  const dir = join(root, 'fix');
  await mkdir(dir, { recursive: true });
  const passwdLike = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
  await writeFile(join(dir, 'passwd'), passwdLike);
  await writeFile(join(dir, 'environment'), 'PATH=/usr/bin\n');
  await writeFile(join(dir, 'app.env'), 'APP_ENV=production\n');
  await writeFile(join(dir, '.env'), passwdLike);
  for (const name of ['passwd', 'environment', 'keyturn-planted.desktop']) {
    await assert.rejects(call(web, 'envFix', { file: join(dir, name), profile: 'resumerag-phase2' }), { code: 'refused' }, name);
  }
  assert.equal(await readFile(join(dir, 'passwd'), 'utf8'), passwdLike);
  await assert.rejects(access(join(dir, 'keyturn-planted.desktop')));
  // A file named .env that is not one (here a passwd copy) is refused too, by its content.
  await assert.rejects(call(web, 'envFix', { file: join(dir, '.env'), profile: 'resumerag-phase2' }), {
    code: 'invalid-input',
    message: /lines that are not variables \(line 1, 2\)/,
  });
  assert.equal(await readFile(join(dir, '.env'), 'utf8'), passwdLike);
  const fixed = await call<{ changed: boolean }>(web, 'envFix', { file: join(dir, 'app.env'), profile: 'resumerag-phase2' });
  assert.equal(fixed.changed, true);
  assert.match(await readFile(join(dir, 'app.env'), 'utf8'), /^PII_ENC_KEY=/m);
  // The rule is the service's, so the CLI keeps it too: a secret is never written into a file not named like .env.
  const services = compose({ config: { home: join(root, 'home3') }, keychain: new MemoryKeychain() });
  await assert.rejects(services.envcheck.fix({ file: join(dir, 'environment'), profile: 'resumerag-phase2', dryRun: true }), {
    code: 'refused',
  });
  assert.equal(await readFile(join(dir, 'environment'), 'utf8'), 'PATH=/usr/bin\n');
});

test('a value reaches the page only after a confirmation the page cannot give: a terminal code (web), a native dialog (desktop)', async () => {
  const stored = await call<{ record: { name: string } }>(web, 'storeDraft', {
    draftId: (await call<{ draftId: string }>(web, 'generateKey', { kind: 'secret' })).draftId,
    name: 'gated-key',
  });
  assert.equal(stored.record.name, 'gated-key');
  const before = (await call<{ key: string; action: string }[]>(web, 'auditList', {})).filter((e) => e.key === 'gated-key').length;

  // A script calling the API directly gets a challenge and no value; the code went to the terminal only.
  const direct = await invokeChannel(web, 'revealKey', { name: 'gated-key' });
  assert.equal(direct.ok, false);
  assert.ok(!JSON.stringify(direct).includes(lastCode().replace(' ', '')), 'the code is not in the answer');
  const details = (direct as unknown as { error: { details: { challenge: string; via: string; subject: string } } }).error.details;
  assert.deepEqual([details.via, details.subject], ['terminal-code', 'show gated-key v1']);
  assert.match(terminal.at(-1)!, /the page asks to show gated-key v1\. To allow it, type \d{4} \d{4} in the page/);
  // A guess is refused and uses the code up; so is a code for another key, or one used twice.
  const guess = await invokeChannel(web, 'revealKey', {
    name: 'gated-key',
    confirmation: { challenge: details.challenge, code: '00000000' },
  });
  assert.equal(guess.ok || guess.error.code, 'refused');
  await assert.rejects(confirmedOther('copyKey', { name: 'gated-key' }, 'revealKey'), { code: 'refused' });
  const revealed = await confirmedCall<{ value: string }>('revealKey', { name: 'gated-key', version: 1 });
  assert.match(revealed.value, /^[A-Za-z0-9_-]{43}$/);
  const code = lastCode();
  await assert.rejects(call(web, 'revealKey', { name: 'gated-key', version: 1, confirmation: { challenge: details.challenge, code } }), {
    code: 'refused',
  });
  // Only the confirmed reveal read the keychain: one audit line, not four.
  const lines = (await call<{ key: string; action: string }[]>(web, 'auditList', {})).filter((e) => e.key === 'gated-key');
  assert.deepEqual(
    lines.slice(before).map((e) => e.action),
    ['reveal'],
  );

  // Desktop: one native question per reveal or copy; "no" lets nothing out.
  asked.length = 0;
  answer = false;
  await assert.rejects(call(desktop, 'revealKey', { name: 'gated-key' }), { code: 'refused', message: /declined to show gated-key v1/ });
  answer = true;
  assert.equal((await call<{ value: string }>(desktop, 'revealKey', { name: 'gated-key' })).value, revealed.value);
  await call(desktop, 'copyKey', { name: 'gated-key' });
  assert.deepEqual(
    asked.map((r) => [r.action, r.target]),
    [
      ['reveal', 'key:gated-key@v1'],
      ['reveal', 'key:gated-key@v1'],
      ['copy', 'key:gated-key@v1'],
    ],
  );
  // A public export asks nothing.
  const pair = await call<{ draftId: string }>(desktop, 'generateKey', { kind: 'jwt-ed25519' });
  await call(desktop, 'exportDraft', { draftId: pair.draftId, format: 'jwks' });
  assert.equal(asked.length, 3);
});

/** Asks for a confirmation of one channel and spends its code on another: a code is bound to what it was printed for. */
async function confirmedOther(channel: string, payload: Record<string, unknown>, other: string): Promise<unknown> {
  const first = (await invokeChannel(web, other, payload)) as IpcResult<unknown>;
  assert.equal(first.ok, false);
  const { challenge } = (first as unknown as { error: { details: { challenge: string } } }).error.details;
  return call(web, channel, { ...payload, confirmation: { challenge, code: lastCode() } });
}
