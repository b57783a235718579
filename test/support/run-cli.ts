// Runs the real `keyturn` CLI as a child process (the sources through tsx, or the build: cliEntry) and collects what it printed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'electron', 'cli', 'main.ts');
// Resolved to a path so the CLI can also run from a folder that is not the repository (cwd option).
const TSX = createRequire(import.meta.url).resolve('tsx');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole child process, in ms. */
  ms: number;
}

export interface CliBytesRun extends Omit<CliRun, 'stdout'> {
  stdout: Buffer;
}

export interface CliOptions {
  /** The child's environment on top of PATH and HOME (nothing else of the test process leaks in); keys go here, never in `args`. */
  env?: NodeJS.ProcessEnv;
  input?: Uint8Array | string;
  cwd?: string;
  killAfterMs?: number;
  /** A slow reader: nobody reads the CLI's stdout pipe until this many ms after the start. */
  readAfterMs?: number;
  /** Run the built bundle (dist/cli/main.js, as installed; needs `npm run build`) instead of the sources through tsx. */
  built?: boolean;
  /** A reader that goes away (like `| head -c N`): the stdout pipe is closed once this many bytes arrived. */
  closeStdoutAfterBytes?: number;
}

const BUILT = join(REPO, 'dist', 'cli', 'main.js');

/**
 * How node starts the CLI: the sources through tsx, or the built bundle (dist/cli/main.js, as installed). `npm test`
 * builds first and sets KEYTURN_TEST_CLI=built for the unit step, so the many CLI runs start as users' do (about 6x
 * faster than through tsx); a test file run on its own uses the sources, never a stale build.
 */
export function cliEntry(built: boolean = process.env.KEYTURN_TEST_CLI === 'built'): string[] {
  return built ? [BUILT] : ['--import', TSX, CLI];
}

/** The CLI's stdout as bytes, for binary round trips. */
export function runCliBytes(args: string[], options: CliOptions = {}): Promise<CliBytesRun> {
  const started = Date.now();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env };
  return new Promise((resolveRun, reject) => {
    const entry = cliEntry(options.built);
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: options.cwd ?? REPO,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    let received = 0;
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      received += d.length;
      if (options.closeStdoutAfterBytes !== undefined && received >= options.closeStdoutAfterBytes) child.stdout.destroy();
    });
    if (options.readAfterMs !== undefined) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), options.readAfterMs);
    }
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A safety net so a hung CLI fails the test instead of the whole run; tests assert on code, not on this.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout: Buffer.concat(out), stderr, ms: Date.now() - started });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit before reading stdin (usage errors)
    child.stdin.end(options.input ?? '');
  });
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const run = await runCliBytes(args, options);
  return { ...run, stdout: run.stdout.toString() };
}

/** What the Secret Service holds for an account, read with libsecret's own tool (the independent witness). */
export function secretToolLookup(
  env: NodeJS.ProcessEnv,
  service: string,
  account: string,
): Promise<{ code: number | null; value: string }> {
  return new Promise((resolveLookup, reject) => {
    const child = spawn('secret-tool', ['lookup', 'service', service, 'account', account], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let value = '';
    child.stdout.on('data', (d: Buffer) => (value += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolveLookup({ code, value }));
  });
}
