// Runs a re-encryption job in a child process and kills it with SIGKILL at random points (a random number of commits
// in, plus a random few milliseconds, so some kills land between the database commit and the checkpoint write),
// resuming from the same job folder each time, until a run finishes on its own.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { ReencryptParams } from '../../electron/node/db/reencrypt/reencrypt-types.js';
import type { RingKeys } from './reencrypt-harness.js';
import { jobDir } from './reencrypt-harness.js';
import { seededRandom } from './seeded-random.js';

const CHILD = join(resolve(import.meta.dirname), 'reencrypt-child.ts');
const TSX = createRequire(import.meta.url).resolve('tsx');

export interface KillRun {
  url: string;
  keys: RingKeys;
  params: Partial<ReencryptParams> & { table: string; columns: string[] };
  /** How many times to kill before letting a run finish. */
  kills: number;
}

export interface KillReport {
  dir: string;
  kills: number;
  seed: number;
}

function runChild(
  input: object,
  killAfterCommits: number | null,
  extraMs: number,
): Promise<{ finished: boolean; killed: boolean; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    let out = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const commits = out.match(/^commit \d+$/gm)?.length ?? 0;
      if (killAfterCommits !== null && !killed && commits >= killAfterCommits) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') done({ finished: false, killed: true, stderr });
      else if (code === 0) done({ finished: /^done /m.test(out), killed: false, stderr });
      else fail(new Error(`the job child exited ${code}: ${stderr.slice(-1500)}`));
    });
    child.stdin.end(JSON.stringify(input));
  });
}

export async function killAndResume(run: KillRun): Promise<KillReport> {
  const random = seededRandom();
  const dir = jobDir();
  const input = { dir, url: run.url, keys: run.keys, params: run.params };
  let kills = 0;
  for (let attempt = 0; attempt < run.kills * 3 + 3; attempt += 1) {
    const killNow = kills < run.kills;
    // Commit 1 is the plan (tables resolved); batches start after it.
    const outcome = await runChild(input, killNow ? 1 + random.int(4) : null, random.int(15));
    if (outcome.killed) kills += 1;
    else if (outcome.finished) return { dir, kills, seed: random.seed };
  }
  throw new Error(`the job did not finish after ${kills} kills (seed ${random.seed})`);
}
