// A `keyturn` executable on a throwaway PATH folder that runs this checkout's CLI (node + tsx): tests run the commands
// Keyturn suggests exactly as a user would paste them into a shell.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cliEntry } from './run-cli.js';

/** Writes `<dir>/bin/keyturn` and returns the PATH that finds it first. */
export function keyturnOnPath(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'keyturn');
  writeFileSync(shim, `#!/bin/sh\nexec ${[process.execPath, ...cliEntry()].map((a) => JSON.stringify(a)).join(' ')} "$@"\n`);
  chmodSync(shim, 0o755);
  return `${bin}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`;
}

export interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, collecting its output; nothing goes to a shell unless the program is one. */
export function runProcess(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ShellRun> {
  return new Promise((done, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Runs one command line in /bin/sh, as typed, in `cwd`. */
export function runShell(command: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ShellRun> {
  return runProcess('/bin/sh', ['-c', command], options);
}
