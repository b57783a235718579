// CLI start-up: the built bin/keyturn.js (what `npm install -g .` puts on PATH) beside the TypeScript sources through
// tsx and through `npm run keyturn`, with plain `node -e 0` as the floor. Medians of wall-clock runs, as ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error -- plain ESM build config without type declarations
import { cliBundle } from '../scripts/node-bundles.mjs';

const RUNS = Number(process.env.KEYTURN_BENCH_STARTUP_RUNS ?? '15');
const REPO = resolve(import.meta.dirname, '..');
const TSX = createRequire(import.meta.url).resolve('tsx');

function median(command: string, args: string[], cwd: string): number {
  const env = { PATH: process.env.PATH, HOME: cwd, KEYTURN_HOME: join(cwd, 'home') };
  spawnSync(command, args, { cwd, env }); // warm the file cache
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { cwd, env, stdio: 'ignore' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-bench-startup-'));
  try {
    const bundle = join(dir, 'main.js');
    await build({ ...cliBundle, absWorkingDir: REPO, outfile: bundle });
    writeFileSync(join(dir, '.env'), 'PORT=8080\nSECRET_KEY=Qm9yZWFsLXJhbmRvbS1rZXktbWF0ZXJpYWwtZm9yLXRlc3Rz9x\n', { mode: 0o600 });
    const source = join(REPO, 'electron', 'cli', 'main.ts');
    const rows: [string, number][] = [
      ['node -e 0 (the floor)', median(process.execPath, ['-e', '0'], dir)],
      ['built: keyturn --version', median(process.execPath, [bundle, '--version'], dir)],
      ['built: keyturn env check .env', median(process.execPath, [bundle, 'env', 'check', '.env'], dir)],
      ['tsx: --version', median(process.execPath, ['--import', TSX, source, '--version'], dir)],
      ['tsx: env check .env', median(process.execPath, ['--import', TSX, source, 'env', 'check', '.env'], dir)],
      ['npm run -s keyturn -- --version', median('npm', ['--prefix', REPO, 'run', '-s', 'keyturn', '--', '--version'], dir)],
    ];
    const built = rows[1]![1];
    console.log(`| command (median of ${RUNS}) | ms | vs built |`);
    console.log('|---|---|---|');
    for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(0)} | ${(ms / built).toFixed(1)}x |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
