// Runs the real `keyturn` CLI as a child process (node + tsx, as `npm run keyturn` does) and collects what it printed.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'electron', 'cli', 'main.ts');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole child process, in ms. */
  ms: number;
}

export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; input?: string; killAfterMs?: number }): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A safety net so a hung CLI fails the test instead of the whole run; tests assert on code, not on this.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** What the Secret Service holds for an account, read with libsecret's own tool (the independent witness). */
export function secretToolLookup(env: NodeJS.ProcessEnv, service: string, account: string): Promise<{ code: number | null; value: string }> {
  return new Promise((resolveLookup, reject) => {
    const child = spawn('secret-tool', ['lookup', 'service', service, 'account', account], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let value = '';
    child.stdout.on('data', (d: Buffer) => (value += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolveLookup({ code, value }));
  });
}
