// Runs every `*.test.ts` with Node's own test runner (TypeScript through tsx). Extra args filter by path substring.
import { spawnSync } from 'node:child_process';
import { findTests } from './find-tests.mjs';

const filters = process.argv.slice(2);
const files = findTests().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-unit-tests: no test files matched');
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.KEYTURN_TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
