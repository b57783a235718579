// Runs the real `keyturn` CLI (node + tsx) with binary stdin and returns stdout as bytes, for Fernet round trips.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'electron', 'cli', 'main.ts');

export interface CliBytesRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** `env` is the child's whole environment (keys go here, never in `args`); PATH is added for tsx. */
export function runCliBytes(args: string[], options: { env?: Record<string, string>; input?: Uint8Array | string } = {}): Promise<CliBytesRun> {
  return new Promise((resolveRun, reject) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env };
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit before reading stdin (usage errors)
    child.stdin.end(options.input ?? '');
  });
}
