// `npm test`: every check in order (lint, types, unit and integration tests, end-to-end), then one summary line
// that adds up the tests the runners report.
import { spawn } from 'node:child_process';

// One build serves both test steps: the unit tests run the built CLI as users do (KEYTURN_TEST_CLI=built, see
// test/support/run-cli.ts), and the end-to-end tests serve the built UI.
const BUILT = { KEYTURN_TEST_CLI: 'built' };
const steps = [
  ['format', ['npm', 'run', '-s', 'format:check']],
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['build', ['npm', 'run', '-s', 'build']],
  ['unit', ['npm', 'run', '-s', 'test:unit'], BUILT],
  ['e2e', ['npx', 'playwright', 'test']],
];

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let text = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      text += d;
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), text }));
  });
}

/** Test counts from node:test's spec reporter (`ℹ pass N`) and Playwright's list reporter (`N passed`). */
function countTests(text) {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const grab = (re) => [...plain.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    passed: grab(/^ℹ pass (\d+)$/gm) + grab(/^\s+(\d+) passed\b/gm),
    failed: grab(/^ℹ fail (\d+)$/gm) + grab(/^\s+(\d+) failed\b/gm),
    skipped: grab(/^ℹ skipped (\d+)$/gm) + grab(/^\s+(\d+) skipped\b/gm),
  };
}

const only = process.env.KEYTURN_TEST_STEPS?.split(',');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
for (const [name, [cmd, ...args], env] of steps) {
  if (only && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  // Without this run's build (KEYTURN_TEST_STEPS=unit), the tests use the sources rather than a possibly stale dist/.
  const { code, text } = await run(cmd, args, only && !only.includes('build') ? {} : env);
  const counts = countTests(text);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) failedSteps.push(name);
  console.log(`=== ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds}s`);
}
if (failedSteps.length > 0) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
if (failedSteps.length > 0 && totals.failed === 0) totals.failed = failedSteps.length;
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length === 0 ? 0 : 1);
