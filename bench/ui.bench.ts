// UI bench: the renderer's initial-load size (gzip) and the time from navigation to an interactive Generate screen
// in Chromium against `keyturn serve` on a real (throwaway) gnome-keyring. Targets: < 300 KB gzip, < 500 ms.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { startSecretService } from '../test/support/secret-service.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium.js';

const REPO = resolve(import.meta.dirname, '..');
const RENDERER = join(REPO, 'dist', 'renderer');
const RUNS = Number(process.env.KEYTURN_UI_BENCH_RUNS ?? 15);
const TARGET_KB = 300;
const TARGET_MS = 500;

function buildRenderer(): void {
  const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

/** Every script and stylesheet index.html loads up front, with raw and gzip (level 9) sizes. */
function initialAssets(): { file: string; raw: number; gzip: number }[] {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((r) => /\.(js|css)$/.test(r));
  return refs.map((ref) => {
    const bytes = readFileSync(join(RENDERER, ref.replace(/^\//, '')));
    return { file: ref, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

function startServe(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => void }> {
  const cli = join(REPO, 'electron', 'cli', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('keyturn serve printed no URL within 20 s')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Keyturn is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        done({ url: m[1]!, stop: () => child.kill('SIGTERM') });
      }
    });
    child.once('exit', (code) => fail(new Error(`keyturn serve exited with ${code}`)));
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function run(): Promise<void> {
  buildRenderer();
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('dist/renderer/index.html missing after the build');
  const assets = initialAssets();
  const totalGzip = assets.reduce((s, a) => s + a.gzip, 0);
  const totalRaw = assets.reduce((s, a) => s + a.raw, 0);

  const keyring = await startSecretService({ unlocked: true });
  const server = await startServe(keyring.env);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS + 1; i += 1) {
      // A fresh context each time: no HTTP cache, no code cache, nothing from the run before.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('html[data-ready="true"]');
      await page.getByRole('main').getByRole('button', { name: 'Generate', exact: true }).waitFor({ state: 'visible' });
      const ms = await page.evaluate(() => performance.getEntriesByName('keyturn-ready')[0]?.startTime ?? Number.NaN);
      if (i > 0) times.push(ms); // the first load warms the server process (module loading, first keychain probe)
      await context.close();
    }
  } finally {
    await browser.close();
    server.stop();
    await keyring.stop();
  }
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);

  const rows: [string, string, string, string][] = [
    ...assets.map((a): [string, string, string, string] => [
      `  ${a.file}`,
      `${(a.gzip / 1024).toFixed(1)} KB gzip`,
      `${(a.raw / 1024).toFixed(1)} KB raw`,
      '',
    ]),
    [
      'initial load JS+CSS',
      `${(totalGzip / 1024).toFixed(1)} KB gzip`,
      `${(totalRaw / 1024).toFixed(1)} KB raw`,
      `target < ${TARGET_KB} KB: ${totalGzip / 1024 < TARGET_KB ? 'met' : 'MISSED'}`,
    ],
    [
      `navigation -> interactive Generate (${times.length} cold loads)`,
      `median ${median.toFixed(0)} ms`,
      `p90 ${quantile(times, 0.9).toFixed(0)} ms, min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)}`,
      `target < ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'MISSED'}`,
    ],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(['measure', 'value', 'detail', 'verdict'].map((h, i) => h.padEnd(widths[i]!)).join(' | '));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | '));
}
