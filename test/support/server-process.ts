// What the throwaway database servers share: a free loopback port, a temp folder the server's system user owns (the
// servers refuse to run as root, and tests run as root here), a child started as that user, readiness seen in its log.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port free on 127.0.0.1 right now (the kernel picks it; the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunAs {
  uid: number;
  gid: number;
}

/** As root, the named system user (postgres, mysql) from /etc/passwd; otherwise the current user, as is. */
export function serverUser(name: string): RunAs | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`the system user ${name} is missing: install the server package (see .ci/run)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A temp folder owned by `user` (recursively, as the server writes everywhere below it). */
export function serverDir(prefix: string, user: RunAs | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (user) chownTree(dir, user);
  return dir;
}

export function chownTree(path: string, user: RunAs): void {
  chownSync(path, user.uid, user.gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

export interface StartedServer {
  child: ChildProcess;
  /** Everything the server logged so far (for a failure message). */
  log(): string;
}

/** Runs a command as `user` to completion; rejects with its output on a non-zero exit. */
export function runAs(command: string, args: string[], user: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ?? {}),
      env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${out.slice(-2000)}`))));
  });
}

/** Starts a server as `user` and resolves once its log shows `ready`; rejects if it exits first or takes over `ms`. */
export function startServer(command: string, args: string[], user: RunAs | undefined, ready: RegExp, ms = 60_000): Promise<StartedServer> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ?? {}),
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${command} did not become ready within ${ms / 1000} s: ${log.slice(-2000)}`)), ms);
    const onData = (d: Buffer): void => {
      log += d.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve({ child, log: () => log });
      }
    };
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${command} exited (${code}) before it was ready: ${log.slice(-2000)}`)));
  });
}

/** Stops a server with `signal` (its fast shutdown), SIGKILL after `graceMs`, then removes its folder. */
export async function stopServer(server: StartedServer, signal: NodeJS.Signals, dir: string, graceMs = 10_000): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}
