// The rotation service over real files, the real vault (in-memory keychain) and the real job runner: policies in the
// inventory, plans saved under KEYTURN_HOME/plans/, steps run in order (long ones as jobs, settled from their result,
// paused and continued), manual steps ticked with a note, the overlap wait enforced, an audit line per step, paths
// taken from the folder the plan was made in, and no value from the .env file anywhere Keyturn writes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { countingJob, type CountParams } from '../../../test/support/counting-job.js';
import { createJobService } from '../jobs/job-service.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { builtinExecutors, runnableOps, type ExecutorRegistry } from '../rotation/step-executors.js';
import { HomeStore } from '../store/home-store.js';
import { createAuditService } from './audit-service.js';
import { nodeKeyCrypto } from './node-key-crypto.js';
import { createRotationService } from './rotation-service.js';
import { createVaultService } from './vault-service.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-rotation-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const CANARY = 'canary-jwt-secret-0123456789abcdefghijklmnop';
const DB_URL = 'postgresql+asyncpg://app:canary-db-password-42@127.0.0.1:5432/app';

function setup(extra: (p: { dir: string }) => ExecutorRegistry = () => ({})) {
  n += 1;
  const dir = join(root, `case-${n}`);
  const home = new HomeStore(join(dir, 'home'));
  const memory = new MemoryKeychain();
  const vault = createVaultService({ home, keychain: memory, crypto: nodeKeyCrypto, timeoutMs: 5_000 });
  let clock = new Date('2025-03-01T09:00:00.000Z');
  const audit = createAuditService(home);
  const jobs = createJobService({ dir: join(dir, 'home', 'jobs'), kinds: { count: () => countingJob }, audit: (e) => audit.record(e) });
  const rotation = createRotationService({
    home,
    executors: { ...builtinExecutors({ vault: () => vault }), ...extra({ dir }) },
    jobs,
    now: () => clock,
    pollMs: 20,
    env: {},
  });
  const env = join(dir, 'app.env');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    env,
    `JWT_SECRET_KEY=${CANARY}\nJWT_EXPIRE_MINUTES=15\nREFRESH_TOKEN_EXPIRE_DAYS=7\nPII_ENC_KEY=${CANARY}x\nDATABASE_URL=${DB_URL}\n`,
    { mode: 0o600 },
  );
  return { dir, home, memory, vault, rotation, env, audit, jobs, tick: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
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

/** A stand-in for the re-encryption job (the job runner's own test kind): it counts rows; 100% when every row is counted. */
function countingReencrypt(params: Partial<CountParams> = {}): ExecutorRegistry {
  return {
    reencrypt: {
      mode: 'job',
      kind: 'count',
      params: () => ({ total: 40, batch: 10, itemMs: 0, ...params }),
      settle: (result) => {
        const r = result as { items: number };
        return r.items === 40
          ? { ok: true, summary: `${r.items} rows re-encrypted` }
          : { ok: false, code: 'check-failed', message: `${r.items} of 40 rows` };
      },
    },
  };
}

test('policies are kept in the inventory, can go back to the default, and drive the due report', async () => {
  const { vault, rotation, home, audit } = setup();
  await vault.generateAndStore({ name: 'jwt-secret-key', options: { kind: 'jwt-hmac' } });
  assert.equal((await rotation.policy('jwt-secret-key')).source, 'default');
  const set = await rotation.setPolicy('jwt-secret-key', { maxAge: '30d', warn: '7d' });
  assert.deepEqual([set.maxAge, set.warn, set.source], ['30d', '7d', 'key']);
  assert.deepEqual((await home.readInventory()).keys[0]!.policy, { maxAge: '30d', warn: '7d' });
  await assert.rejects(rotation.setPolicy('jwt-secret-key', { maxAge: '7d', warn: '7d' }), { code: 'invalid-input' });
  await assert.rejects(rotation.setPolicy('nope', { maxAge: '7d' }), { code: 'not-found' });
  const soon = await rotation.due(new Date(Date.now() + 25 * 86_400_000));
  assert.equal(soon.entries[0]!.state, 'near');
  const late = await rotation.due(new Date(Date.now() + 31 * 86_400_000));
  assert.deepEqual([late.entries[0]!.state, late.exitCode], ['past', 1]);
  const back = await rotation.setPolicy('jwt-secret-key', null);
  assert.deepEqual([back.maxAge, back.source], ['90d', 'default']);
  assert.equal((await home.readInventory()).keys[0]!.policy, undefined);
  assert.deepEqual(
    (await audit.list()).filter((e) => e.action === 'policy').map((e) => [e.outcome, e.detail]),
    [
      ['ok', 'max age 30d, warn 7d'],
      ['refused', undefined],
      ['refused', undefined],
      ['ok', 'back to the default'],
    ],
  );
});

test('a JWT plan from a real .env file: overlap from its lifetimes, steps run in order, the overlap enforced, audit lines, no value leaked', async () => {
  const { dir, vault, rotation, memory, audit, tick } = setup();
  await vault.generateAndStore({ name: 'jwt-secret-key', options: { kind: 'jwt-hmac' }, envVar: 'JWT_SECRET_KEY' });
  // Relative to the folder the plan is made in, whatever folder runs the steps later.
  const saved = await rotation.plan({ keys: ['jwt-secret-key'], envFiles: ['app.env'], id: 'jwt-test' }, { cwd: dir });
  assert.equal(saved.plan.keys[0]!.overlap.ms, 86_400_000, 'no accepted list: a forced switch, kept a day');
  assert.equal(saved.cwd, dir);
  assert.ok(statSync(join(dir, 'home', 'plans', 'jwt-test.json')).mode % 0o1000 === 0o600);
  await assert.rejects(rotation.plan({ keys: ['jwt-secret-key'], id: 'jwt-test' }), { code: 'already-exists' });

  const ids = saved.plan.steps.map((s) => `${s.n}:${s.id}:${s.runner.mode}`);
  assert.deepEqual(ids, [
    `1:backup-env:app.env:automatic`,
    '2:jwt-secret-key:new-version:automatic',
    '3:jwt-secret-key:maintenance-window:manual',
    `4:jwt-secret-key:new-secret:app.env:manual`,
    '5:jwt-secret-key:deploy-new:manual',
    '6:jwt-secret-key:retire:automatic',
  ]);
  assert.deepEqual(runnableOps(builtinExecutors({ vault: () => vault })), ['backup-db', 'backup-file', 'new-version', 'retire']);

  await assert.rejects(rotation.runStep('jwt-test', 2, { confirm: true }), /step 1 is not done yet/);
  await assert.rejects(rotation.runStep('jwt-test', 1, { confirm: false }), /--yes/);
  const one = await rotation.runStep('jwt-test', 1, { confirm: true });
  assert.equal(one.state.status, 'done');
  const env = join(dir, 'app.env');
  assert.equal(readFileSync(`${env}.pre-rotation-20250301T0900Z-jwt-test`, 'utf8'), readFileSync(env, 'utf8'));
  assert.equal(statSync(`${env}.pre-rotation-20250301T0900Z-jwt-test`).mode % 0o1000, 0o600);
  await assert.rejects(rotation.runStep('jwt-test', 1, { confirm: true }), /already done/);
  await rotation.runStep('jwt-test', 2, { confirm: true });
  assert.ok(memory.entries.has('jwt-secret-key@v2'));
  await assert.rejects(rotation.runStep('jwt-test', 3, { confirm: true }), /cannot run step 3 itself/);
  await assert.rejects(rotation.markDone('jwt-test', 3, '  '), { code: 'invalid-input' });
  await assert.rejects(rotation.markDone('jwt-test', 3, `pasted ${memory.entries.get('jwt-secret-key@v2')}`), {
    code: 'invalid-input',
    message: /looks like a key/,
  });
  for (const step of [3, 4, 5]) await rotation.markDone('jwt-test', step, `done by the on-call engineer (step ${step})`);

  const waiting = await rotation.status('jwt-test');
  assert.equal(waiting.next, 6);
  assert.equal(waiting.steps[5]!.notBefore, '2025-03-02T09:00:00.000Z');
  await assert.rejects(rotation.runStep('jwt-test', 6, { confirm: true }), /the overlap window runs until 2025-03-02T09:00:00.000Z/);
  assert.deepEqual((await rotation.due()).entries[0]!.rotation, { plan: 'jwt-test', done: 5, steps: 6 });
  tick(86_400_000);
  await rotation.runStep('jwt-test', 6, { confirm: true });
  assert.equal(memory.entries.has('jwt-secret-key@v1'), false);
  const done = await rotation.status('jwt-test');
  assert.equal(done.done, 6);
  assert.equal(done.next, undefined);
  assert.equal((await rotation.due()).entries[0]!.rotation, undefined, 'a finished plan is not "under way"');
  assert.deepEqual(
    (await rotation.list()).map((p) => [p.id, p.done, p.steps]),
    [['jwt-test', 6, 6]],
  );
  assert.match(await rotation.render('jwt-test', 'md'), /^# Key Rotation Runbook: jwt-secret-key\n/);
  assert.equal(JSON.parse(await rotation.render('jwt-test', 'json')).id, 'jwt-test');

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
      ['rotate-step', 'plan:jwt-test#3:manual', 'refused', 'invalid-input'],
      ['rotate-step', 'plan:jwt-test#3:manual', 'refused', 'invalid-input'],
      ['rotate-step', 'plan:jwt-test#3:manual', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#4:manual', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#5:manual', 'ok', undefined],
      ['rotate-step', 'plan:jwt-test#6', 'refused', 'refused'],
      ['rotate-step', 'plan:jwt-test#6', 'ok', undefined],
    ],
  );
  assert.equal(lines[4]!.detail, `Copied ${env} to ${env}.pre-rotation-20250301T0900Z-jwt-test.`);
  const written = everything(dir);
  assert.ok(!written.includes(CANARY), 'no value from the .env file in the plan, inventory or audit log');
  assert.ok(!written.includes(memory.entries.get('jwt-secret-key@v2')!), 'no key value either');
});

test('two plans of one .env file made in the same minute back it up under two names, both kept', async () => {
  const { vault, rotation, env, tick } = setup();
  await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  await vault.generateAndStore({ name: 'jwt-secret-key', options: { kind: 'jwt-hmac' }, envVar: 'JWT_SECRET_KEY' });
  const first = await rotation.plan({ keys: ['pii-enc-key'], envFiles: [env] });
  tick(30_000);
  const second = await rotation.plan({ keys: ['jwt-secret-key'], envFiles: [env] });
  // The same key planned again in that minute gets an id (and backups) of its own rather than a refusal.
  const again = await rotation.plan({ keys: ['pii-enc-key'], envFiles: [env] });
  assert.deepEqual(
    [first.plan.id, second.plan.id, again.plan.id],
    ['pii-enc-key-20250301-0900', 'jwt-secret-key-20250301-0900', 'pii-enc-key-20250301-0900-2'],
  );
  const copies = [first, second, again].map((p) => (p.plan.steps[0]!.action as { copy: string }).copy);
  assert.equal(new Set(copies).size, 3, 'one backup name per plan');
  const original = readFileSync(env);
  for (const p of [first, second, again]) assert.equal((await rotation.runStep(p.plan.id, 1, { confirm: true })).state.status, 'done');
  for (const copy of copies) assert.deepEqual(readFileSync(copy), original);
});

test('a failed step is recorded with its code and can be run again; a stale plan is refused', async () => {
  const { vault, rotation, env } = setup();
  await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  await rotation.plan({ keys: ['pii-enc-key'], envFiles: [env], id: 'stale' });
  writeFileSync(`${env}.pre-rotation-20250301T0900Z-stale`, 'someone else');
  await assert.rejects(rotation.runStep('stale', 1, { confirm: true }), { code: 'already-exists' });
  assert.deepEqual((({ status, code }) => ({ status, code }))((await rotation.status('stale')).steps[0]!.state), {
    status: 'failed',
    code: 'already-exists',
  });
  assert.equal(readFileSync(`${env}.pre-rotation-20250301T0900Z-stale`, 'utf8'), 'someone else', 'a backup is never overwritten');
  rmSync(`${env}.pre-rotation-20250301T0900Z-stale`);
  await rotation.runStep('stale', 1, { confirm: true });
  await vault.rotate('pii-enc-key');
  await assert.rejects(rotation.runStep('stale', 2, { confirm: true }), /the plan expects v2: the key changed since the plan was made/);
  await assert.rejects(rotation.status('nope'), { code: 'not-found' });
  await assert.rejects(rotation.runStep('stale', 99, { confirm: true }), { code: 'usage' });
});

test('the database engine comes from the URL scheme in the .env file, never echoed; a URL that is none is refused', async () => {
  const { dir, vault, rotation, env } = setup();
  await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  const plan = await rotation.plan({
    keys: ['pii-enc-key'],
    envFiles: [env],
    id: 'engine',
    databases: [{ urlVar: 'DATABASE_URL', tables: [{ table: 'users', columns: ['email'] }] }],
  });
  const backup = plan.plan.steps.find((s) => s.action?.op === 'backup-db')!;
  assert.deepEqual(backup.action, {
    op: 'backup-db',
    engine: 'postgresql',
    urlVar: 'DATABASE_URL',
    envFile: env,
    file: 'backups/database_url-pre-rotation-20250301T0900Z-engine.dump',
  });
  writeFileSync(join(dir, 'bad.env'), 'DATABASE_URL=canary-not-a-url\n');
  await assert.rejects(
    rotation.plan({
      keys: ['pii-enc-key'],
      envFiles: [join(dir, 'bad.env')],
      databases: [{ urlVar: 'DATABASE_URL', tables: [{ table: 'users', columns: ['email'] }] }],
    }),
    (e: Error & { code?: string }) =>
      e.code === 'invalid-input' && !e.message.includes('canary') && /DATABASE_URL does not hold/.test(e.message),
  );
  await assert.rejects(
    rotation.plan({ keys: ['pii-enc-key'], databases: [{ urlVar: 'OTHER_URL', tables: [{ table: 'users', columns: ['email'] }] }] }),
    { code: 'invalid-input', message: /OTHER_URL is set neither/ },
  );
  await assert.rejects(rotation.plan({ keys: ['pii-enc-key'], targets: ['prod'] }), { code: 'refused', message: /no push targets/ });
  assert.ok(!everything(dir).includes('canary-db-password'));
});

test('a long step runs as a job: started after confirmation, followed, paused and continued, settled from its result', async () => {
  const { vault, rotation, env, audit, jobs } = setup(() => countingReencrypt({ itemMs: 10 }));
  await vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  const saved = await rotation.plan({
    keys: ['pii-enc-key'],
    envFiles: [env],
    id: 'pii',
    databases: [{ urlVar: 'DATABASE_URL', engine: 'postgresql', tables: [{ table: 'users', columns: ['email', 'phone'] }] }],
  });
  const reencrypt = saved.steps.find((s) => s.step.action?.op === 'reencrypt')!;
  assert.equal(reencrypt.step.runner.mode, 'automatic');
  assert.equal(reencrypt.runnable, true);
  // Up to the re-encryption: automatic steps run, the others (the dump, which needs a server, included) ticked by hand.
  for (const view of saved.steps.slice(0, reencrypt.step.n - 1)) {
    if (view.runnable && view.step.action?.op !== 'backup-db') await rotation.runStep('pii', view.step.n, { confirm: true });
    else await rotation.markDone('pii', view.step.n, 'done by hand in the test');
  }
  const started = await rotation.runStep('pii', reencrypt.step.n, { confirm: true });
  assert.equal(started.state.status, 'running');
  const jobId = started.state.job!.id;
  await assert.rejects(rotation.runStep('pii', reencrypt.step.n, { confirm: true }), new RegExp(`running as job ${jobId}`));
  await assert.rejects(rotation.markDone('pii', reencrypt.step.n, 'by hand'), /running as job/);
  await assert.rejects(rotation.runStep('pii', reencrypt.step.n + 1, { confirm: true }), /is still running/);

  // Ctrl+C while following: the job pauses at a checkpoint; the step stays running until it is continued.
  const stop = new AbortController();
  const seen: number[] = [];
  const paused = await rotation.follow('pii', reencrypt.step.n, {
    signal: stop.signal,
    onProgress: (job) => {
      seen.push(job.progress.done);
      if (job.progress.done > 0) stop.abort();
    },
  });
  assert.equal(paused.state.status, 'running');
  assert.equal(paused.job!.state, 'paused');
  assert.ok(paused.job!.progress.done < 40);
  await assert.rejects(rotation.runStep('pii', reencrypt.step.n, { confirm: false }), /--yes to continue/);
  await rotation.runStep('pii', reencrypt.step.n, { confirm: true });
  const done = await rotation.follow('pii', reencrypt.step.n);
  assert.equal(done.state.status, 'done');
  assert.equal(done.state.note, '40 rows re-encrypted');
  assert.equal(done.state.job!.id, jobId, 'the same job, continued');
  assert.equal((await jobs.status(jobId)).job.state, 'done');

  const lines = (await audit.list()).filter((e) => e.target === `plan:pii#${reencrypt.step.n}`);
  assert.deepEqual(
    lines.map((e) => [e.outcome, e.detail]),
    [
      ['ok', `job ${jobId} started`],
      ['refused', undefined],
      ['refused', undefined],
      ['ok', `job ${jobId} continued`],
      ['ok', '40 rows re-encrypted'],
    ],
  );
});

async function planUpToReencrypt(extra: ExecutorRegistry, id: string) {
  const ctx = setup(() => extra);
  await ctx.vault.generateAndStore({ name: 'pii-enc-key', options: { kind: 'fernet' } });
  const saved = await ctx.rotation.plan({
    keys: ['pii-enc-key'],
    envFiles: [ctx.env],
    id,
    databases: [{ urlVar: 'DATABASE_URL', engine: 'postgresql', tables: [{ table: 'users', columns: ['email'] }] }],
  });
  const step = saved.steps.find((s) => s.step.action?.op === 'reencrypt')!.step.n;
  for (let i = 1; i < step; i++) await ctx.rotation.markDone(id, i, 'done by hand in the test');
  return { ...ctx, step };
}

test('a job that fails fails the step; running the step again continues the same job from its last checkpoint', async () => {
  const { rotation, step, jobs } = await planUpToReencrypt(countingReencrypt({ failAt: 25 }), 'fails');
  await rotation.runStep('fails', step, { confirm: true });
  const failed = await rotation.follow('fails', step);
  assert.deepEqual([failed.state.status, failed.state.code], ['failed', 'io']);
  assert.match(failed.state.note!, /Item 25 could not be processed/);
  assert.equal((await rotation.status('fails')).next, step);
  await assert.rejects(rotation.runStep('fails', step + 1, { confirm: true }), /step \d+ is not done yet/);
  // The test kind fails at item 25 on every run: continued from its checkpoint (20), it reaches item 25 again.
  await rotation.runStep('fails', step, { confirm: true });
  const again = await rotation.follow('fails', step);
  assert.equal(again.state.job!.id, failed.state.job!.id, 'continued, not started afresh');
  const events = (await jobs.status(failed.state.job!.id)).events.map((e) => e.type);
  assert.deepEqual(
    events.filter((t) => t !== 'checkpoint'),
    ['started', 'failed', 'resumed', 'failed'],
  );
});

test('a job whose result fails the step check fails the step; running the step again starts a new job', async () => {
  const { rotation, step } = await planUpToReencrypt(countingReencrypt({ total: 30 }), 'short');
  await rotation.runStep('short', step, { confirm: true });
  const failed = await rotation.follow('short', step);
  assert.deepEqual([failed.state.status, failed.state.code, failed.state.note], ['failed', 'check-failed', '30 of 40 rows']);
  await rotation.runStep('short', step, { confirm: true });
  const second = await rotation.follow('short', step);
  assert.notEqual(second.state.job!.id, failed.state.job!.id);
});
