// .env checker speed: a 10,000-line file (parse, check, fix) and a tree of 1,000 .env files (check, with and without
// git), plus python-dotenv parsing the same big file for scale. Best of several rounds on a shared machine.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEnvText } from '../shared/envcheck/check-file.js';
import { getProfile } from '../shared/envcheck/profiles.js';
import { buildRuleSet } from '../shared/envcheck/rule-set.js';
import { parseEnv } from '../shared/formats/env-file.js';
import { compose } from '../electron/node/compose.js';
import { createGenerateService } from '../electron/node/services/generate-service.js';
import { createEnvCheckService } from '../electron/node/services/envcheck-service.js';

const ROUNDS = Number(process.env.KEYTURN_BENCH_ROUNDS ?? '5');
const BIG_LINES = 10_000;
const TREE_FILES = 1_000;

/** A realistic mix: comments, blank lines, URLs, numbers, secrets, quoted and exported values. */
function bigFile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i += 1) {
    const k = i % 8;
    if (k === 0) out.push(`# section ${i}`);
    else if (k === 1) out.push(`SERVICE_${i}_URL=postgresql://svc${i}:${randomBytes(12).toString('base64url')}@db${i}.internal:5432/app`);
    else if (k === 2) out.push(`SERVICE_${i}_SECRET=${randomBytes(32).toString('base64url')}`);
    else if (k === 3) out.push(`export SERVICE_${i}_WORKERS=${i % 64}`);
    else if (k === 4) out.push(`SERVICE_${i}_NAME="service number ${i}" # inline comment`);
    else if (k === 5) out.push('');
    else if (k === 6) out.push(`SERVICE_${i}_FLAG='true'`);
    else out.push(`SERVICE_${i}_KEY=${randomBytes(32).toString('base64url')}=`);
  }
  return `${out.join('\n')}\n`;
}

async function best(fn: () => unknown): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < ROUNDS; r += 1) {
    const start = process.hrtime.bigint();
    await fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

function pythonParseMs(file: string): number | null {
  try {
    const script = [
      'import sys, time',
      'from dotenv import dotenv_values',
      'best = min((lambda s: (dotenv_values(sys.argv[1], interpolate=False), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(int(sys.argv[2])))',
      'print(best * 1000)',
    ].join('\n');
    return Number(
      execFileSync('/usr/bin/python3', ['-c', script, file, String(ROUNDS)])
        .toString()
        .trim(),
    );
  } catch {
    return null;
  }
}

const row = (what: string, size: string, ms: number | string, per: string): string =>
  `| ${what.padEnd(46)} | ${size.padStart(20)} | ${(typeof ms === 'number' ? ms.toFixed(1) : ms).padStart(9)} | ${per.padStart(18)} |`;

export async function run(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'keyturn-envbench-'));
  try {
    const text = bigFile(BIG_LINES);
    const big = join(root, 'big', '.env');
    await mkdir(join(root, 'big'));
    await writeFile(big, text);
    await chmod(big, 0o600);
    const svc = createEnvCheckService({
      generate: createGenerateService(),
      vault: compose({ config: { home: join(root, 'home') } }).vault,
      cwd: () => root,
    });
    const { rules } = buildRuleSet({ profile: getProfile('resumerag-phase2') });
    const kb = `${Math.round(text.length / 1024)} KB`;

    const parseMs = await best(() => parseEnv(text));
    const engineMs = await best(() => checkEnvText({ text, role: 'env', rules }));
    const checkMs = await best(() => svc.check({ paths: [big], profile: 'resumerag-phase2' }));
    let fixRound = 0;
    const fixMs = await best(async () => {
      fixRound += 1;
      await writeFile(big, text);
      await svc.fix({ file: big, profile: 'resumerag-phase2', regenerate: [`SERVICE_${2 + 8 * fixRound}_SECRET`] });
    });
    const pyMs = pythonParseMs(big);

    // 250 folders x 4 files (.env, .env.local, .env.production, .env.example) = 1,000 files.
    const tree = join(root, 'tree');
    for (let d = 0; d < TREE_FILES / 4; d += 1) {
      const dir = join(tree, `svc-${Math.floor(d / 25)}`, `app-${d}`);
      await mkdir(dir, { recursive: true });
      const body = `DATABASE_URL=postgresql+asyncpg://app:${randomBytes(12).toString('base64url')}@db/app\nSECRET_KEY=${randomBytes(32).toString('base64url')}\nPII_ENC_KEY=${randomBytes(32).toString('base64url')}=\n`;
      for (const name of ['.env', '.env.local', '.env.production']) {
        await writeFile(join(dir, name), body);
        await chmod(join(dir, name), 0o600);
      }
      await writeFile(join(dir, '.env.example'), 'DATABASE_URL=\nSECRET_KEY=\nPII_ENC_KEY=\n');
    }
    const treeMs = await best(() => svc.check({ paths: [tree], profile: 'resumerag-phase2' }));
    execFileSync('git', ['init', '-q', tree]);
    execFileSync('git', ['add', '-A'], { cwd: tree });
    const gitMs = await best(() => svc.check({ paths: [tree], profile: 'resumerag-phase2' }));

    const lps = (ms: number): string => `${Math.round(BIG_LINES / (ms / 1000)).toLocaleString('en-US')} lines/s`;
    const fps = (ms: number): string => `${Math.round(TREE_FILES / (ms / 1000)).toLocaleString('en-US')} files/s`;
    console.log(`best of ${ROUNDS} rounds`);
    console.log(row('case', 'input', 'ms', 'rate'));
    console.log(`|${'-'.repeat(48)}|${'-'.repeat(22)}|${'-'.repeat(11)}|${'-'.repeat(20)}|`);
    console.log(row('parse (python-dotenv semantics)', `${BIG_LINES} lines, ${kb}`, parseMs, lps(parseMs)));
    console.log(row('rule engine (parse, npm reading, rules)', `${BIG_LINES} lines, ${kb}`, engineMs, lps(engineMs)));
    console.log(row('env check (read, perms, git, rules)', `${BIG_LINES} lines, ${kb}`, checkMs, lps(checkMs)));
    console.log(row('env fix --regenerate (generate, .bak, atomic)', `${BIG_LINES} lines, ${kb}`, fixMs, lps(fixMs)));
    if (pyMs !== null) console.log(row('python-dotenv dotenv_values (reference)', `${BIG_LINES} lines, ${kb}`, pyMs, lps(pyMs)));
    console.log(row('env check tree, no repository', `${TREE_FILES} files`, treeMs, fps(treeMs)));
    console.log(row('env check tree, all tracked by git', `${TREE_FILES} files`, gitMs, fps(gitMs)));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
