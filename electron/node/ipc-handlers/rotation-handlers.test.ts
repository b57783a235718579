// The rotation channels through invokeChannel, as both hosts call them: payloads parsed first, a step runs only with
// the page's confirmation, every file a plan reads or writes stays under the web host's root (when the plan is made
// and when a step of a plan made elsewhere runs), and the runbook comes back as text without a value in it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IpcResult } from '../../../shared/ipc/result.js';
import type { PlanStatus, StepView } from '../../../shared/rotation/progress.js';
import { compose, type Services } from '../compose.js';
import { rootPathGuard } from '../files/path-guard.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { createHandlers, type HandlerTable } from './handlers.js';
import { invokeChannel } from './invoke.js';
import { createAskingGate } from '../release-gate/asking-gate.js'; // refuses: rotation never lets a value out to the page

const CANARY = 'canary-session-secret-value-0123456789';
let base: string;
let root: string;
let outside: string;
let services: Services;
let web: HandlerTable;
let memory: MemoryKeychain;

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-rotation-handlers-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(join(root, 'app'), { recursive: true });
  await mkdir(outside);
  for (const dir of [join(root, 'app'), outside])
    await writeFile(join(dir, '.env'), `SECRET_KEY=${CANARY}\nDATABASE_URL=postgresql://u:${CANARY}@127.0.0.1/app\n`, { mode: 0o600 });
  memory = new MemoryKeychain();
  services = compose({ config: { home: join(base, 'home') }, keychain: memory });
  web = createHandlers({ services, host: { kind: 'web', paths: rootPathGuard(root), release: createAskingGate(async () => false) } });
  await services.vault.generateAndStore({ name: 'secret-key', options: { kind: 'secret' }, envVar: 'SECRET_KEY' });
  await services.vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = (await invokeChannel(web, channel, payload)) as IpcResult<T>;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value;
}

test('malformed rotation payloads are refused before a handler runs', async () => {
  const cases: [string, unknown][] = [
    ['runRotationStep', { id: 'p', step: 1 }],
    ['runRotationStep', { id: 'p', step: 1, confirm: 'yes' }],
    ['rotationPlanStatus', { id: '../../etc/passwd' }],
    ['planRotation', { keys: [] }],
    ['planRotation', { keys: ['secret-key'], database: { urlVar: 'postgres://x', tables: [{ table: 't', columns: ['c'] }] } }],
    ['setRotationPolicy', { name: 'secret-key', maxAge: '9'.repeat(40) }],
    ['exportRotationPlan', { id: 'p', format: 'pdf' }],
  ];
  for (const [channel, payload] of cases) await assert.rejects(call(channel, payload), { code: 'invalid-input' }, channel);
});

test('a plan made from the page: paths under the root only, steps run after confirmation, the runbook exported', async () => {
  await assert.rejects(call('planRotation', { keys: ['secret-key'], envFiles: [join(outside, '.env')] }), { code: 'forbidden' });
  await assert.rejects(call('planRotation', { keys: ['secret-key'], envFiles: ['app/.env'], backupDir: outside }), { code: 'forbidden' });
  const plan = await call<PlanStatus>('planRotation', { keys: ['secret-key'], envFiles: ['app/.env'], id: 'page-plan', overlap: '0' });
  assert.equal(plan.plan.steps[0]!.title, `Back up ${join(root, 'app', '.env')}`);
  const ran = await call<StepView>('runRotationStep', { id: 'page-plan', step: 1, confirm: true });
  assert.equal(ran.state.status, 'done');
  assert.ok(existsSync(`${join(root, 'app', '.env')}.${/pre-rotation-\d{8}T\d{4}Z-[\w-]+(?:\.[\w-]+)*/.exec(ran.state.note!)![0]}`));
  await assert.rejects(call('markRotationStepDone', { id: 'page-plan', step: 3, note: 'too early' }), { code: 'refused' });
  await call('runRotationStep', { id: 'page-plan', step: 2, confirm: true });
  assert.ok(memory.entries.has('secret-key@v2'));
  const done = await call<StepView>('markRotationStepDone', { id: 'page-plan', step: 3, note: 'announced on the status page' });
  assert.equal(done.state.by, 'user');
  const runbook = await call<{ fileName: string; text: string; mediaType: string }>('exportRotationPlan', {
    id: 'page-plan',
    format: 'md',
  });
  assert.equal(runbook.fileName, 'page-plan.md');
  assert.match(runbook.text, /^# Key Rotation Runbook: secret-key\n/);
  assert.ok(!runbook.text.includes(CANARY) && !runbook.text.includes(memory.entries.get('secret-key@v2')!));
  const listed = await call<{ id: string; done: number }[]>('listRotationPlans', {});
  assert.deepEqual(
    listed.map((p) => [p.id, p.done]),
    [['page-plan', 3]],
  );
});

test('a Fernet plan from the page puts its dump beside the .env file; a plan made with the CLI outside the root cannot be run from the page', async () => {
  const fernet = await call<PlanStatus>('planRotation', {
    keys: ['pii-enc-key'],
    envFiles: ['app/.env'],
    id: 'page-fernet',
    database: { urlVar: 'DATABASE_URL', tables: [{ table: 'users', columns: ['email'] }] },
  });
  const dump = fernet.plan.steps.find((s) => s.action?.op === 'backup-db')!;
  assert.equal((dump.action as { file: string }).file.startsWith(join(root, 'app', 'backups', 'database_url-pre-rotation-')), true);

  await services.rotation.plan({ keys: ['secret-key'], envFiles: ['.env'], id: 'cli-plan' }, { cwd: outside });
  await assert.rejects(call('runRotationStep', { id: 'cli-plan', step: 1, confirm: true }), { code: 'forbidden' });
  assert.equal((await readFile(join(outside, '.env'), 'utf8')).includes(CANARY), true);
  assert.equal((await call<PlanStatus>('rotationPlanStatus', { id: 'cli-plan' })).steps[0]!.state.status, 'pending');
});

test('policies from the page: set, and reset to the default', async () => {
  const set = await call<{ maxAge: string; warn: string; source: string }>('setRotationPolicy', { name: 'pii-enc-key', maxAge: '60d' });
  assert.deepEqual([set.maxAge, set.warn, set.source], ['60d', '30d', 'key']);
  const due = await call<{ entries: { key: string; policy: { maxAge: string } }[] }>('rotationDue', {});
  assert.equal(due.entries.find((e) => e.key === 'pii-enc-key')!.policy.maxAge, '60d');
  await assert.rejects(call('setRotationPolicy', { name: 'pii-enc-key', maxAge: '10d', warn: '10d' }), { code: 'invalid-input' });
  const reset = await call<{ maxAge: string; source: string }>('setRotationPolicy', { name: 'pii-enc-key', reset: true });
  assert.deepEqual([reset.maxAge, reset.source], ['180d', 'default']);
});

test('a key escrowed outside the served root is planned from the page; only running that step there is refused', async () => {
  await services.escrow.create({
    keys: [{ name: 'pii-enc-key' }],
    threshold: 2,
    custodians: [{ name: 'ann' }, { name: 'ben' }],
    outDir: join(outside, 'escrow'),
  });
  const plan = await call<PlanStatus>('planRotation', { keys: ['pii-enc-key'], id: 'escrowed-outside' });
  const escrowStep = plan.steps.find((v) => v.step.action?.op === 'escrow-update')!.step;
  assert.match(escrowStep.title, /^Add pii-enc-key@v2 to the offline escrow/);
  // Earlier steps first (the new version); then the escrow step's bundle is outside what the page may touch.
  for (const v of plan.steps.filter((x) => x.step.n < escrowStep.n && x.runnable))
    await call<StepView>('runRotationStep', { id: 'escrowed-outside', step: v.step.n, confirm: true });
  await assert.rejects(call('runRotationStep', { id: 'escrowed-outside', step: escrowStep.n, confirm: true }), { code: 'forbidden' });
});
