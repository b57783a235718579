// Web project: a long check runs as a job with a progress bar; it keeps running after the tab is closed, and the CLI
// pauses it and resumes it to the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSummary } from '../shared/domain/job.js';
import type { EnvReport } from '../shared/envcheck/report.js';
import { runCli } from '../test/support/run-cli.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

const FILES = 25_000;

test('a check of a large tree survives closing the tab, and is paused and resumed from the CLI', async ({
  page,
  served,
  keyring,
  shot,
}) => {
  test.setTimeout(240_000);
  const tree = join(served.workspace, 'monorepo');
  for (let i = 0; i < FILES; i++) {
    const dir = join(tree, `team${i % 100}`, `svc${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.env'), i % 4 === 0 ? 'SECRET_KEY=changeme\n' : 'PORT=8080\n', { mode: 0o600 });
  }
  const cli = async (...args: string[]) => runCli(args, { env: keyring.session.env, built: true });
  const status = async (id: string): Promise<JobSummary> => {
    const r = await cli('jobs', 'status', id, '--json');
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { job: JobSummary }).job;
  };

  await page.goto(served.url);
  await nav(page, 'Check .env').click();
  const main = page.getByRole('main');
  await main.getByLabel(/Files or folders/).fill(tree);
  await main.getByRole('button', { name: 'Check', exact: true }).click();
  const progress = page.getByTestId('job-progress');
  await expect(progress).toHaveAttribute('data-state', 'running');
  const bar = progress.getByRole('progressbar');
  await expect(bar).toHaveAttribute('aria-valuemax', String(FILES));
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect(progress).toContainText(`of ${FILES.toLocaleString('en-US')} files`);
  await shot('job-progress');
  const id = /Job ([A-Za-z0-9_-]{16,64})/.exec((await progress.textContent()) ?? '')?.[1];
  expect(id, 'the card names its job').toBeTruthy();

  // The tab goes away; the job does not.
  await page.close();
  const before = await status(id!);
  await expect.poll(async () => (await status(id!)).progress.done, { timeout: 30_000 }).toBeGreaterThan(before.progress.done);
  expect((await status(id!)).owner?.pid, 'still run by keyturn serve').toBeGreaterThan(0);

  const paused = await cli('jobs', 'pause', id!);
  expect(paused.code, paused.stderr).toBe(0);
  await expect.poll(async () => (await status(id!)).state, { timeout: 30_000 }).toBe('paused');
  const at = (await status(id!)).progress.done;
  expect(at).toBeLessThan(FILES);

  const resumed = await cli('jobs', 'resume', id!, '--json');
  expect(resumed.code, resumed.stderr).toBe(1); // the tree holds placeholder secrets: the report has errors
  const done = (JSON.parse(resumed.stdout) as { job: JobSummary }).job;
  expect(done.state).toBe('done');
  const report = done.result as EnvReport;
  expect(report.files.length).toBe(FILES);
  expect(report.files.filter((f) => f.findings.some((x) => x.severity === 'error')).length).toBe(FILES / 4);
});
