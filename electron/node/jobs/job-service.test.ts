// The job runner with a real kind on real files: commits, pause and resume in and across processes, kill -9, cancel,
// failure, and finished jobs left alone. Every item must come out exactly once, in order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import type { JobSummary } from '../../../shared/domain/job.js';
import { countingJob } from '../../../test/support/counting-job.js';
import { createJobService, type JobService } from './job-service.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
let root: string;
let n = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyturn-jobs-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function service(dir: string, audit?: AuditEvent[]): JobService {
  return createJobService({ dir, kinds: { count: () => countingJob }, ...(audit ? { audit: async (e) => audit.push(e) } : {}) });
}

function freshDir(): string {
  n += 1;
  return join(root, `jobs${n}`);
}

async function items(jobs: JobService, id: string): Promise<number[]> {
  const out: number[] = [];
  for await (const r of jobs.output(id)) out.push((r as { item: number }).item);
  return out;
}

const range = (total: number) => Array.from({ length: total }, (_, i) => i);

async function waitFor(jobs: JobService, id: string, done: (job: JobSummary) => boolean): Promise<JobSummary> {
  for (let i = 0; i < 2000; i++) {
    const { job } = await jobs.status(id);
    if (done(job)) return job;
    await sleep(10);
  }
  throw new Error(`job ${id} never reached the awaited state`);
}

test('a job runs to the end: result, every item once, events and audit lines; another instance sees it done', async () => {
  const dir = freshDir();
  const audit: AuditEvent[] = [];
  const jobs = service(dir, audit);
  const seen: number[] = [];
  const done = await jobs.run('count', { total: 25, batch: 10, itemMs: 0 }, { onProgress: (j) => seen.push(j.progress.done) });
  assert.equal(done.state, 'done');
  assert.deepEqual(done.result, { sum: 300, items: 25 });
  assert.deepEqual(await items(jobs, done.id), range(25));
  assert.ok(seen.includes(10) && seen.includes(20) && seen.at(-1) === 25, `progress went 10, 20, 25: ${seen.join(',')}`);
  const other = await service(dir).status(done.id);
  assert.equal(other.job.state, 'done');
  assert.deepEqual(other.job.result, { sum: 300, items: 25 });
  assert.deepEqual(
    other.events.map((e) => e.type),
    ['started', 'done'],
  );
  assert.deepEqual(
    audit.map((e) => `${e.action}:${e.outcome}:${e.key}:${e.target}`),
    [`job-start:ok:counter:job:${done.id}`, `job-finish:ok:counter:job:${done.id}`],
  );
  assert.equal(audit[1]!.detail, '25 items');
  // Re-running a finished job does nothing.
  const again = await jobs.resume(done.id);
  assert.equal(again.state, 'done');
  assert.deepEqual(await items(jobs, done.id), range(25));
});

test('pause in this process stops at a checkpoint; resume continues without repeating an item', async () => {
  const jobs = service(freshDir());
  const id = await jobs.start('count', { total: 400, batch: 20, itemMs: 1 });
  await waitFor(jobs, id, (j) => j.progress.done >= 40);
  const pausing = await jobs.pause(id);
  assert.equal(pausing.state, 'pausing');
  const paused = await waitFor(jobs, id, (j) => j.state === 'paused');
  assert.ok(paused.progress.done < 400, 'paused part-way');
  assert.equal((await items(jobs, id)).length, paused.progress.done);
  const resumed = await jobs.resume(id);
  assert.equal(resumed.state, 'done');
  assert.deepEqual(await items(jobs, id), range(400));
  assert.deepEqual(resumed.result, { sum: (399 * 400) / 2, items: 400 });
});

test('a pause asked for by another process (the control file) reaches the process running the job', async () => {
  const dir = freshDir();
  const runner = service(dir);
  const id = await runner.start('count', { total: 400, batch: 20, itemMs: 1 });
  const elsewhere = service(dir);
  await waitFor(elsewhere, id, (j) => j.progress.done >= 20);
  const asked = await elsewhere.pause(id);
  assert.equal(asked.state, 'pausing');
  assert.equal(asked.owner?.pid, process.pid);
  const paused = await waitFor(elsewhere, id, (j) => j.state === 'paused');
  assert.ok(paused.progress.done < 400);
  await assert.rejects(
    elsewhere
      .pause(id)
      .then(() => elsewhere.cancel(id))
      .then(() => elsewhere.resume(id)),
    { code: 'refused' },
  );
  assert.equal((await elsewhere.status(id)).job.state, 'cancelled');
});

test('kill -9 mid-run: the job reads as interrupted, and resume finishes it with every item exactly once', async () => {
  const dir = freshDir();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'test', 'support', 'job-child.ts'), dir, JSON.stringify({ total: 3000, batch: 50, itemMs: 1 })],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const id = await new Promise<string>((ok) => child.stdout.once('data', (d: Buffer) => ok(d.toString().trim())));
  const jobs = service(dir);
  await waitFor(jobs, id, (j) => j.progress.done >= 150);
  child.kill('SIGKILL');
  await new Promise((ok) => child.once('close', ok));
  const { job } = await jobs.status(id);
  assert.equal(job.state, 'interrupted');
  assert.ok(job.progress.done < 3000, 'killed part-way');
  // The output may hold items written after the last commit; resume drops them before going on.
  const raw = (await readFile(join(dir, `${id}.out.jsonl`), 'utf8')).split('\n').filter(Boolean).length;
  assert.ok(raw >= job.progress.done);
  const finished = await jobs.resume(id);
  assert.equal(finished.state, 'done');
  assert.deepEqual(await items(jobs, id), range(3000));
  const events = (await jobs.status(id)).events.map((e) => e.type);
  assert.deepEqual(events.slice(-2), ['resumed', 'done']);
});

test('a failing job keeps its last checkpoint and error code; resume retries from there', async () => {
  const jobs = service(freshDir());
  const failed = await jobs.run('count', { total: 50, batch: 10, itemMs: 0, failAt: 25 });
  assert.equal(failed.state, 'failed');
  assert.equal(failed.error?.code, 'io');
  assert.equal(failed.progress.done, 20);
  assert.deepEqual(await items(jobs, failed.id), range(20));
  // The kind fails at item 25 on every run; the checkpoint still never moves back, and nothing is written twice.
  const again = await jobs.resume(failed.id);
  assert.equal(again.state, 'failed');
  assert.deepEqual(await items(jobs, failed.id), range(20));
});

test('bad parameters and unknown kinds are refused before any file is written; unknown ids are not-found', async () => {
  const jobs = service(freshDir());
  await assert.rejects(jobs.start('count', { total: -1, batch: 1, itemMs: 0 }), { code: 'invalid-input', message: /total/ });
  await assert.rejects(jobs.start('nope', {}), { code: 'invalid-input' });
  await assert.rejects(jobs.status('AAAAAAAAAAAAAAAAAAAA'), { code: 'not-found' });
  await assert.rejects(jobs.status('../../etc/passwd'), { code: 'invalid-input' });
  assert.deepEqual(await jobs.list(), []);
});
