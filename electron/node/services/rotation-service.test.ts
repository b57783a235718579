// The rotation service over real files and the real vault (in-memory keychain): policies in the inventory, plans saved
// under KEYTURN_HOME/plans/, steps run through the executor registry in order, manual steps ticked with a note, the
// overlap wait enforced, an audit line per step, and no value from the .env file anywhere Keyturn writes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { builtinExecutors, runnableOps } from '../rotation/step-executors.js';
import { HomeStore } from '../store/home-store.js';
import { createAuditService } from './audit-service.js';
import { nodeKeyCrypto } from './node-key-crypto.js';
import { createRotationService } from './rotation-service.js';
import { createVaultService } from './vault-service.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-rotation-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const CANARY = 'canary-jwt-secret-0123456789abcdefghijklmnop';

function setup() {
  n += 1;
  const dir = join(root, `case-${n}`);
  const home = new HomeStore(join(dir, 'home'));
  const memory = new MemoryKeychain();
  const vault = createVaultService({ home, keychain: memory, crypto: nodeKeyCrypto, timeoutMs: 5_000 });
  let clock = new Date('2025-03-01T09:00:00.000Z');
  const rotation = createRotationService({ home, executors: builtinExecutors({ vault }), now: () => clock });
  const env = join(dir, 'app.env');
  mkdirSync(dir, { recursive: true });
  writeFileSync(env, `JWT_SECRET_KEY=${CANARY}\nJWT_EXPIRE_MINUTES=15\nREFRESH_TOKEN_EXPIRE_DAYS=7\nPII_ENC_KEY=${CANARY}x\n`, {
    mode: 0o600,
  });
  return {
    dir,
    home,
    memory,
    vault,
    rotation,
    env,
    audit: createAuditService(home),
    tick: (ms: number) => (clock = new Date(clock.getTime() + ms)),
  };
}

function everything(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.env') && !e.name.includes('pre-rotation')) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

test('policies are kept in the inventory and drive the due report', async () => {
  const { vault, rotation, home } = setup();
  await vault.generateAndStore({ name: 'jwt-secret-key', options: { kind: 'jwt-hmac' } });
  assert.deepEqual(await rotation.setPolicy('jwt-secret-key', { maxAge: '30d', warn: '7d' }), { maxAge: '30d', warn: '7d' });
  assert.deepEqual((await home.readInventory()).keys[0]!.policy, { maxAge: '30d', warn: '7d' });
  await assert.rejects(rotation.setPolicy('jwt-secret-key', { maxAge: '7d', warn: '7d' }), { code: 'invalid-input' });
  await assert.rejects(rotation.setPolicy('nope', { maxAge: '7d' }), { code: 'not-found' });
  const soon = await rotation.due(new Date(Date.now() + 25 * 86_400_000));
  assert.equal(soon.entries[0]!.state, 'near');
  const late = await rotation.due(new Date(Date.now() + 31 * 86_400_000));
  assert.deepEqual([late.entries[0]!.state, late.exitCode], ['past', 1]);
});

test('a JWT plan from a real .env file: overlap from its lifetimes, steps run in order, the overlap enforced, audit lines, no value leaked', async () => {
  const { dir, vault, rotation, env, memory, audit, tick } = setup();
  await vault.generateAndStore({ name: 'jwt-secret-key', options: { kind: 'jwt-hmac' }, envVar: 'JWT_SECRET_KEY' });
  const saved = await rotation.plan({ keys: ['jwt-secret-key'], envFiles: [env], id: 'jwt-test' });
  assert.equal(saved.plan.keys[0]!.overlap.ms, 86_400_000, 'no accepted list: a forced switch, kept a day');
  assert.ok(statSync(join(dir, 'home', 'plans', 'jwt-test.json')).mode % 0o1000 === 0o600);
  await assert.rejects(rotation.plan({ keys: ['jwt-secret-key'], id: 'jwt-test' }), { code: 'already-exists' });

  const ids = saved.plan.steps.map((s) => `${s.n}:${s.id}:${s.runner.mode}`);
  assert.deepEqual(ids, [
    `1:backup-env:${env}:automatic`,
    '2:jwt-secret-key:new-version:automatic',
    '3:jwt-secret-key:maintenance-window:manual',
    `4:jwt-secret-key:new-secret:${env}:manual`,
    '5:jwt-secret-key:deploy-new:manual',
    '6:jwt-secret-key:retire:automatic',
  ]);
  assert.deepEqual(runnableOps(builtinExecutors({ vault })), ['backup-db', 'backup-file', 'new-version', 'retire']);

  await assert.rejects(rotation.runStep('jwt-test', 2, { confirm: true }), /step 1 is not done yet/);
  await assert.rejects(rotation.runStep('jwt-test', 1, { confirm: false }), /--yes/);
  const one = await rotation.runStep('jwt-test', 1, { confirm: true });
  assert.equal(one.state.status, 'done');
  assert.equal(readFileSync(`${env}.pre-rotation-20250301T0900Z`, 'utf8'), readFileSync(env, 'utf8'));
  assert.equal(statSync(`${env}.pre-rotation-20250301T0900Z`).mode % 0o1000, 0o600);
  await assert.rejects(rotation.runStep('jwt-test', 1, { confirm: true }), /already done/);
  await rotation.runStep('jwt-test', 2, { confirm: true });
  assert.ok(memory.entries.has('jwt-secret-key@v2'));
  await assert.rejects(rotation.runStep('jwt-test', 3, { confirm: true }), /cannot run step 3 itself/);
  await assert.rejects(rotation.markDone('jwt-test', 3, '  '), { code: 'usage' });
  for (const step of [3, 4, 5]) await rotation.markDone('jwt-test', step, `done by the on-call engineer (step ${step})`);

  const waiting = await rotation.status('jwt-test');
  assert.equal(waiting.next, 6);
  assert.equal(waiting.steps[5]!.notBefore, '2025-03-02T09:00:00.000Z');
  await assert.rejects(rotation.runStep('jwt-test', 6, { confirm: true }), /the overlap window runs until 2025-03-02T09:00:00.000Z/);
  tick(86_400_000);
  await rotation.runStep('jwt-test', 6, { confirm: true });
  assert.equal(memory.entries.has('jwt-secret-key@v1'), false);
  const done = await rotation.status('jwt-test');
  assert.equal(done.done, 6);
  assert.equal(done.next, undefined);

  const lines = (await audit.list()).filter((e) => e.action === 'rotate-plan' || e.action === 'rotate-step');
  assert.deepEqual(
    lines.map((e) => [e.action, e.target, e.outcome, e.code]),
    [
      ['rotate-plan', 'plan:jwt-test', 'ok', undefined],
      ['rotate-plan', 'plan:jwt-test', 'refused', 'already-exists'],
      ['rotate-step', 'plan:jwt-test#2', 'refused', 'refused'],
      ['rotate-step', 'plan:jwt-test#1', 'refused', 'refused'],
      ['rotate-step', 'plan:jwt-test#1', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#1', 'refused', 'refused'],
      ['rotate-step', 'plan:jwt-test#2', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#3', 'refused', 'refused'],
      ['rotate-step', 'plan:jwt-test#3:manual', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#4:manual', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#5:manual', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#6', 'refused', 'refused'],
      ['rotate-step', 'plan:jwt-test#6', 'ok', undefined],
    ],
  );
  const written = everything(dir);
  assert.ok(!written.includes(CANARY), 'no value from the .env file in the plan, inventory or audit log');
  assert.ok(!written.includes(memory.entries.get('jwt-secret-key@v2')!), 'no key value either');
});

test('a failed step is recorded with its code and can be run again; a stale plan is refused', async () => {
  const { vault, rotation, env } = setup();
  await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  await rotation.plan({ keys: ['pii-enc-key'], envFiles: [env], id: 'stale' });
  writeFileSync(`${env}.pre-rotation-20250301T0900Z`, 'someone else');
  await assert.rejects(rotation.runStep('stale', 1, { confirm: true }), { code: 'already-exists' });
  assert.deepEqual((({ status, code }) => ({ status, code }))((await rotation.status('stale')).steps[0]!.state), {
    status: 'failed',
    code: 'already-exists',
  });
  assert.equal(readFileSync(`${env}.pre-rotation-20250301T0900Z`, 'utf8'), 'someone else', 'a backup is never overwritten');
  rmSync(`${env}.pre-rotation-20250301T0900Z`);
  await rotation.runStep('stale', 1, { confirm: true });
  await vault.rotate('pii-enc-key');
  await assert.rejects(rotation.runStep('stale', 2, { confirm: true }), /the plan expects v2: the key changed since the plan was made/);
  await assert.rejects(rotation.status('nope'), { code: 'not-found' });
  await assert.rejects(rotation.runStep('stale', 99, { confirm: true }), { code: 'usage' });
});
