// Lists the unit test files (`*.test.ts` beside the code), skipping dependencies, builds and Playwright specs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['shared', 'electron', 'renderer', 'test', 'scripts'];
const SKIP = new Set(['node_modules', 'dist', 'out', '.git']);

export function findTests(root = process.cwd()) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) walk(rel);
      } else if (/\.test\.tsx?$/.test(entry.name)) {
        found.push(rel);
      }
    }
  };
  ROOTS.forEach(walk);
  return found.sort();
}
