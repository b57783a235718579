// The home lock: exclusive across processes, broken only when its owner is gone, given up with lock-timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { acquireLock, withLock } from './file-lock.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'keyturn-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<number | null> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'support', 'lock-worker.ts'), ...args], {
      cwd: REPO,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('close', done);
  });
}

test('six processes incrementing a counter under the lock lose no increment', async () => {
  const lock = join(dir, 'count.lock');
  const counter = join(dir, 'count.txt');
  const codes = await Promise.all(Array.from({ length: 6 }, () => run([lock, counter, '25'])));
  assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
  assert.equal(readFileSync(counter, 'utf8'), '150');
  assert.equal(existsSync(lock), false);
});

test('a lock left by a process that no longer exists is broken', async () => {
  const lock = join(dir, 'stale.lock');
  // A pid far above pid_max on Linux cannot be alive.
  writeFileSync(lock, JSON.stringify({ pid: 2 ** 30, host: hostname(), created: Date.now(), token: 'dead' }));
  const release = await acquireLock(lock, { timeoutMs: 2_000 });
  assert.match(readFileSync(lock, 'utf8'), new RegExp(`"pid":${process.pid}`));
  await release();
  assert.equal(existsSync(lock), false);
});

test('a lock held by a live process is waited for and then given up with lock-timeout', async () => {
  const lock = join(dir, 'held.lock');
  const release = await acquireLock(lock);
  await assert.rejects(acquireLock(lock, { timeoutMs: 300 }), { code: 'lock-timeout', message: new RegExp(`process ${process.pid}`) });
  await release();
  await withLock(lock, async () => undefined, { timeoutMs: 300 });
});

test('waiting for the lock can be cancelled, and the error speaks of the lock, not the keychain', async () => {
  const lock = join(dir, 'cancel.lock');
  const release = await acquireLock(lock);
  const controller = new AbortController();
  const waiting = acquireLock(lock, { timeoutMs: 60_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(waiting, { code: 'cancelled', message: /waiting for another Keyturn process/ });
  await release();
});

test('releasing twice, or after someone else took over a broken lock, never removes their lock', async () => {
  const lock = join(dir, 'own.lock');
  const release = await acquireLock(lock);
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), created: Date.now(), token: 'someone-else' }));
  await release();
  assert.equal(existsSync(lock), true);
  rmSync(lock);
});
