// The escrow channels through invokeChannel as both hosts call them: paths confined, shares handed over once and held
// by id (typed text and a QR scan), the drill and the restore answered with fingerprints only, shares forgotten after
// a restore; no response carries a key value or a share.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EscrowCreateResult, EscrowRestoreResult, EscrowVerifyResult } from '../../../shared/domain/escrow.js';
import type { HeldShare } from '../../../shared/ipc/features/escrow.js';
import type { IpcResult } from '../../../shared/ipc/result.js';
import { secretVariants } from '../../../test/support/secret-scan.js';
import { compose } from '../compose.js';
import { rootPathGuard } from '../files/path-guard.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { createHandlers, type HandlerTable } from './handlers.js';
import { invokeChannel } from './invoke.js';
import { createAskingGate } from '../release-gate/asking-gate.js'; // refuses: these features never let a value out

let root: string;
let web: HandlerTable;
const keychain = new MemoryKeychain();
/** Every response, for the final scan. */
const responses: string[] = [];

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = (await invokeChannel(web, channel, payload)) as IpcResult<T>;
  responses.push(JSON.stringify(result));
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value;
}

before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-escrow-ipc-')));
  await mkdir(join(root, 'work'));
  const services = compose({ config: { home: join(root, 'home') }, keychain });
  web = createHandlers({
    services,
    host: { kind: 'web', paths: rootPathGuard(join(root, 'work')), release: createAskingGate(async () => false) },
  });
  await services.vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  await services.vault.generateAndStore({ name: 'api-secret', options: { kind: 'secret' } });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('create, hand over three shares (typed and scanned), drill and restore, and never get a value or share back', async () => {
  const custodians = ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name }));
  await assert.rejects(call('escrowCreate', { keys: [{ name: 'pii-enc-key' }], threshold: 3, custodians, outDir: root }), {
    code: 'forbidden',
  });
  await assert.rejects(call('escrowCreate', { keys: [{ name: 'pii-enc-key' }], threshold: 1, custodians, outDir: 'x' }), {
    code: 'invalid-input',
  });
  const created = await call<EscrowCreateResult>('escrowCreate', {
    keys: [{ name: 'pii-enc-key' }, { name: 'api-secret', version: 1 }],
    threshold: 3,
    custodians,
    outDir: 'escrow',
  });
  assert.ok(created.manifest.startsWith(join(root, 'work', 'escrow')));
  const info = await call<{ set: { threshold: number } }>('escrowInspect', { bundle: 'escrow' });
  assert.equal(info.set.threshold, 3);

  const typed = await call<HeldShare>('escrowAddShare', { kind: 'text', text: await readFile(created.sheets[0]!.text, 'utf8') });
  assert.deepEqual(
    { ...typed, shareId: 'x' },
    { shareId: 'x', label: 'typed share 1', bundleId: created.bundleId, set: 1, index: 1, threshold: 3, shares: 5 },
  );
  execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', created.sheets[3]!.pdf, join(root, 'scan')]);
  const scanned = await call<HeldShare>('escrowAddShare', {
    kind: 'image',
    name: 'dave.png',
    base64: (await readFile(join(root, 'scan.png'))).toString('base64'),
  });
  assert.equal(scanned.index, 4);
  await assert.rejects(call('escrowAddShare', { kind: 'text', text: 'ABCDEF' }), {
    code: 'invalid-share',
    message: /^This share cannot be used: /,
  });

  await assert.rejects(call('escrowVerify', { bundle: 'escrow', shareIds: [typed.shareId, scanned.shareId] }), {
    code: 'not-enough-shares',
    message: /1 more is needed/,
  });
  const third = await call<HeldShare>('escrowAddShare', { kind: 'text', text: await readFile(created.sheets[4]!.text, 'utf8') });
  const ids = [typed.shareId, scanned.shareId, third.shareId];
  const drill = await call<EscrowVerifyResult>('escrowVerify', { bundle: created.manifest, shareIds: ids });
  assert.deepEqual(drill.used, [1, 4, 5]);
  assert.ok(drill.versions[0]!.keys.every((k) => k.ok));

  await assert.rejects(call('escrowRestore', { bundle: 'escrow', shareIds: ids, outFile: join(root, 'out.json') }), { code: 'forbidden' });
  const restored = await call<EscrowRestoreResult>('escrowRestore', { bundle: 'escrow', shareIds: ids, outFile: 'restored.json' });
  assert.equal(restored.outFile, join(root, 'work', 'restored.json'));
  // A restore forgets the shares it used.
  await assert.rejects(call('escrowVerify', { bundle: 'escrow', shareIds: ids }), { code: 'not-found', message: /no longer held/ });

  const values = [...keychain.entries.values()];
  const shareTexts = await Promise.all(created.sheets.map(async (s) => (await readFile(s.text, 'utf8')).match(/^ {3}1 {2}(.{27})$/m)![1]!));
  const everything = responses.join('\n');
  for (const secret of [...values, ...shareTexts])
    for (const variant of secretVariants(secret)) assert.ok(!everything.includes(variant), 'a response holds a value or a share');
  assert.equal(JSON.parse(await readFile(join(root, 'work', 'restored.json'), 'utf8')).keys.length, 2);
});

test('held shares are refused unless they are ids the host made', async () => {
  const result = await invokeChannel(web, 'escrowVerify', { bundle: 'escrow', shareIds: ['../../etc/passwd'] });
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.code, 'invalid-input');
});
