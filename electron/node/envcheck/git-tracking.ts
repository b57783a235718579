// Asks git which .env files it tracks: one `git ls-files` per repository, paths as arguments, never file content.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

export interface GitTracking {
  tracked: Set<string>;
  /** Files in a repository git could not be asked about, with the reason (git missing, unsafe ownership, ...). */
  unknown: Map<string, string>;
}

const CHUNK = 200;

function git(args: string[], cwd: string): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve({ ok: false, reason: 'git is not installed' });
        const first =
          String(stderr)
            .split('\n')
            .find((l) => l.trim() !== '') ?? 'git failed';
        resolve({ ok: false, reason: first.replace(/^fatal:\s*/, '').slice(0, 200) });
      },
    );
  });
}

/** The folder holding `.git` (a folder, or a file in worktrees and submodules), or null outside any repository. */
async function repoRoot(dir: string, cache: Map<string, string | null>): Promise<string | null> {
  const seen: string[] = [];
  let current = dir;
  for (;;) {
    const cached = cache.get(current);
    if (cached !== undefined) {
      for (const d of seen) cache.set(d, cached);
      return cached;
    }
    seen.push(current);
    if (
      await stat(join(current, '.git')).then(
        () => true,
        () => false,
      )
    ) {
      for (const d of seen) cache.set(d, current);
      return current;
    }
    const parent = dirname(current);
    if (parent === current) {
      for (const d of seen) cache.set(d, null);
      return null;
    }
    current = parent;
  }
}

export async function gitTracking(files: string[]): Promise<GitTracking> {
  const result: GitTracking = { tracked: new Set(), unknown: new Map() };
  const roots = new Map<string, string | null>();
  const byRoot = new Map<string, string[]>();
  for (const file of files) {
    const root = await repoRoot(dirname(file), roots);
    if (root === null) continue;
    byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
  }
  for (const [root, inRepo] of byRoot) {
    for (let i = 0; i < inRepo.length; i += CHUNK) {
      const chunk = inRepo.slice(i, i + CHUNK);
      const rel = chunk.map((f) => relative(root, f).split(sep).join('/'));
      const answer = await git(['ls-files', '-z', '--', ...rel.map((r) => `:(literal)${r}`)], root);
      if (!answer.ok) {
        for (const f of chunk) result.unknown.set(f, answer.reason);
        continue;
      }
      const listed = new Set(answer.stdout.split('\0').filter((l) => l !== ''));
      chunk.forEach((f, j) => {
        if (listed.has(rel[j]!)) result.tracked.add(f);
      });
    }
  }
  return result;
}
