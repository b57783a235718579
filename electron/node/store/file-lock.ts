// A cross-process lock on KEYTURN_HOME: a lock file created with O_EXCL holding pid and time, broken only when its
// owner is gone, retried with backoff, given up with lock-timeout. Two CLI processes at once cannot lose an entry.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { sleep } from '../lib/deadline.js';

function lockWaitCancelled(): KeyturnError {
  return new KeyturnError('cancelled', 'Cancelled while waiting for another Keyturn process to finish; nothing was changed.');
}

export interface LockOptions {
  /** Give up after this long, in ms (default 10 s). */
  timeoutMs?: number;
  /** A lock whose owner cannot be checked (another host) counts as abandoned after this long (default 60 s). */
  staleMs?: number;
  signal?: AbortSignal;
}

interface LockOwner {
  pid: number;
  host: string;
  created: number;
  token: string;
}

const BREAKER_STALE_MS = 5_000;
/** A lock file that exists but holds nothing readable yet is being written by its owner; after this it is debris. */
const EMPTY_LOCK_STALE_MS = 5_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readOwner(path: string): Promise<{ owner?: LockOwner; text: string; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let owner: LockOwner | undefined;
    try {
      const parsed = JSON.parse(text) as LockOwner;
      if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') owner = parsed;
    } catch {
      owner = undefined;
    }
    return { ...(owner ? { owner } : {}), text, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(found: { owner?: LockOwner; ageMs: number }, staleMs: number): boolean {
  if (!found.owner) return found.ageMs > EMPTY_LOCK_STALE_MS;
  if (found.owner.host === hostname()) return !isAlive(found.owner.pid);
  return found.ageMs > staleMs;
}

/**
 * Remove a stale lock without racing another breaker: only the holder of `<lock>.break` may unlink it, and only if it
 * still holds the very content judged stale (so a fresh lock taken meanwhile is never removed).
 */
async function breakStale(path: string, staleText: string): Promise<void> {
  const breaker = `${path}.break`;
  const info = await stat(breaker).catch(() => undefined);
  if (info && Date.now() - info.mtimeMs > BREAKER_STALE_MS) await unlink(breaker).catch(() => undefined);
  if (!(await tryCreate(breaker, String(process.pid)))) return;
  try {
    const again = await readOwner(path);
    if (again && again.text === staleText) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

export async function acquireLock(path: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  const owner: LockOwner = { pid: process.pid, host: hostname(), created: Date.now(), token: randomBytes(12).toString('hex') };
  const content = JSON.stringify(owner);
  const started = Date.now();
  let wait = 5;
  for (;;) {
    if (await tryCreate(path, content)) break;
    const found = await readOwner(path);
    if (found && isStale(found, staleMs)) {
      await breakStale(path, found.text);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      const who = found?.owner ? ` (process ${found.owner.pid})` : '';
      throw new KeyturnError(
        'lock-timeout',
        `Another Keyturn process${who} has held ${path} for more than ${Math.round(timeoutMs / 1000)} s; wait for it to finish, or delete that file if no Keyturn process is running, then try again.`,
      );
    }
    // Jittered backoff so a crowd of waiters does not retry in lockstep.
    await sleep(wait + Math.random() * wait, options.signal, lockWaitCancelled);
    wait = Math.min(wait * 1.5, 200);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const current = await readOwner(path);
    if (current?.owner?.token === owner.token) await unlink(path).catch(() => undefined);
  };
}

export async function withLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireLock(path, options);
  try {
    return await work();
  } finally {
    await release();
  }
}

/** The process holding the lock now, if a live one does; undefined when the lock is free or its owner is gone. */
export async function liveLockOwner(path: string, staleMs = 60_000): Promise<{ pid: number; host: string } | undefined> {
  const found = await readOwner(path);
  if (!found?.owner || isStale(found, staleMs)) return undefined;
  return { pid: found.owner.pid, host: found.owner.host };
}

/** Takes the lock if it is free (or its owner is gone) right now; undefined when a live process holds it. */
export async function tryAcquireLock(path: string): Promise<(() => Promise<void>) | undefined> {
  try {
    return await acquireLock(path, { timeoutMs: 0 });
  } catch (error) {
    if (error instanceof KeyturnError && error.code === 'lock-timeout') return undefined;
    throw error;
  }
}
