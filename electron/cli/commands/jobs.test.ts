// `env check --job` and `keyturn jobs` as real child processes: a job killed with -9 reads as interrupted and
// `jobs resume` finishes it with the same report a plain check gives; a pause asked for from another process is kept.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobSummary } from '../../../shared/domain/job.js';
import type { EnvReport } from '../../../shared/envcheck/report.js';
import { cliEntry, runCli } from '../../../test/support/run-cli.js';

const FILES = 6000;
let root: string;
let env: NodeJS.ProcessEnv;
let reference: EnvReport;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyturn-jobs-cli-'));
  const tree = join(root, 'tree');
  for (let i = 0; i < FILES; i++) {
    const dir = join(tree, `team${i % 60}`, `svc${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.env'), i % 3 === 0 ? 'SECRET_KEY=changeme\nPORT=80\n' : 'PORT=8080\n', { mode: 0o600 });
  }
  env = { KEYTURN_HOME: join(root, 'home') };
  const plain = await runCli(['env', 'check', 'tree', '--format', 'json'], { cwd: root, env });
  assert.equal(plain.code, 1, plain.stderr);
  reference = JSON.parse(plain.stdout) as EnvReport;
  assert.equal(reference.files.length, FILES);
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Starts `keyturn env check tree --job` and resolves with the child and its job id once the job has committed work. */
async function startJob(): Promise<{ child: ChildProcess; id: string; closed: Promise<number | null> }> {
  const child = spawn(process.execPath, [...cliEntry(), 'env', 'check', 'tree', '--job', '--json'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const closed = new Promise<number | null>((ok) => child.once('close', ok));
  let stderr = '';
  child.stdout!.resume();
  const id = await new Promise<string>((ok, fail) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const found = /checking as job ([A-Za-z0-9_-]{16,64})/.exec(stderr);
      if (found) ok(found[1]!);
    });
    child.once('close', () => fail(new Error(`the job never started: ${stderr}`)));
  });
  const record = join(env.KEYTURN_HOME!, 'jobs', `${id}.json`);
  for (let i = 0; i < 3000; i++) {
    const text = await readFile(record, 'utf8').catch(() => '');
    const done = text ? ((JSON.parse(text) as { progress: { done: number } }).progress.done ?? 0) : 0;
    if (done >= 200) return { child, id, closed };
    await sleep(5);
  }
  throw new Error('the job never committed a batch');
}

async function status(id: string): Promise<JobSummary> {
  const r = await runCli(['jobs', 'status', id, '--json'], { cwd: root, env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { job: JobSummary }).job;
}

test('kill -9 mid-check: the job is interrupted, and `jobs resume` in another folder finishes it with the plain report', async () => {
  const { child, id, closed } = await startJob();
  child.kill('SIGKILL');
  await closed;
  const interrupted = await status(id);
  assert.equal(interrupted.state, 'interrupted');
  assert.ok(interrupted.progress.done >= 200 && interrupted.progress.done < FILES, `killed part-way at ${interrupted.progress.done}`);
  const human = await runCli(['jobs', 'status', id], { cwd: root, env });
  assert.match(human.stdout, new RegExp(`Resume it with: keyturn jobs resume ${id}`));

  // Resumed from another folder: the job kept the folder its paths are relative to.
  const resumed = await runCli(['jobs', 'resume', id, '--json'], { cwd: tmpdir(), env });
  assert.equal(resumed.code, 1, resumed.stderr); // the report has errors (SECRET_KEY=changeme), as the plain check
  const job = (JSON.parse(resumed.stdout) as { job: JobSummary }).job;
  assert.equal(job.state, 'done');
  assert.deepEqual(job.result, reference);
  const list = await runCli(['jobs', 'list', '--json'], { cwd: root, env });
  assert.ok((JSON.parse(list.stdout) as { jobs: JobSummary[] }).jobs.some((j) => j.id === id && j.state === 'done'));
  // A finished job resumed again does nothing and says so with the same result.
  const again = await runCli(['jobs', 'resume', id, '--json'], { cwd: root, env });
  assert.deepEqual((JSON.parse(again.stdout) as { job: JobSummary }).job.result, reference);
});

test('`jobs pause` from another process pauses a running check; the checking process says how to resume', async () => {
  const { child, id, closed } = await startJob();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const paused = await runCli(['jobs', 'pause', id, '--json'], { cwd: root, env });
  assert.equal(paused.code, 0, paused.stderr);
  assert.match(paused.stdout, /"state": "(pausing|paused)"/);
  assert.equal(await closed, 1);
  assert.match(stderr, new RegExp(`job ${id} is paused.*keyturn jobs resume ${id}`));
  const summary = await status(id);
  assert.equal(summary.state, 'paused');
  const resumed = await runCli(['jobs', 'resume', id], { cwd: root, env });
  assert.equal(resumed.code, 1, resumed.stderr);
  assert.match(resumed.stdout, /errors?/);
  assert.equal((await status(id)).state, 'done');
});

test('unknown and malformed job ids are clear errors', async () => {
  const unknown = await runCli(['jobs', 'status', 'AAAAAAAAAAAAAAAAAAAA'], { cwd: root, env });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No job AAAAAAAAAAAAAAAAAAAA is known here.*\[not-found\]/);
  const bad = await runCli(['jobs', 'resume', '../x'], { cwd: root, env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not a job id.*\[invalid-input\]/);
});
