// Web project: the Rotation screen against `keyturn serve` and a real gnome-keyring. The timeline shows a key past due
// (by keyboard too), its policy changes, "Plan rotation" writes a plan, and the checklist is followed to the end:
// Keyturn's steps after the dialog's confirmation, the rest ticked off with a note; the old version leaves the keychain,
// the Markdown export is the CLI's runbook byte for byte, and every step is in the audit log.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { AuditEntry } from '../shared/domain/audit.js';
import type { Inventory } from '../shared/domain/inventory.js';
import { pythonEncrypt, pythonJudge, pythonKey } from '../test/support/fernet-oracle.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { requirePythonCryptography } from '../test/support/python.js';
import { pgClient } from '../test/support/reencrypt-fixture.js';
import { runCli } from '../test/support/run-cli.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

const CANARY = 'canary-e2e-rotation-value-5fR2kQ9w';
const DAY = 86_400_000;

/**
 * Follows a plan in the page to its end: runs what Keyturn runs (confirmed in the dialog), ticks off the rest.
 * `around` wraps the run of a step whose title matches, for tests that watch a step while it runs.
 */
async function followPlan(
  page: Page,
  note: string,
  around?: { title: RegExp; run: (start: () => Promise<void>, step: Locator) => Promise<void> },
): Promise<{ ran: number[]; ticked: number[] }> {
  const checklist = page.getByTestId('plan-checklist');
  const ran: number[] = [];
  const ticked: number[] = [];
  for (let guard = 0; guard < 40; guard++) {
    const progress = (await checklist.getByTestId('plan-progress').textContent()) ?? '';
    if (progress.includes('the rotation is finished')) return { ran, ticked };
    const n = Number(/next: step (\d+)/.exec(progress)?.[1]);
    const step = checklist.locator(`[data-testid="plan-step"][data-step="${n}"]`);
    const run = step.getByRole('button', { name: `Run step ${n}…` });
    if (await run.isVisible()) {
      const start = async () => {
        await run.click();
        const dialog = page.getByRole('dialog');
        await expect(dialog).toBeVisible();
        await dialog.getByRole('button', { name: `Run step ${n}`, exact: true }).click();
      };
      const title = (await step.getByRole('heading', { level: 3 }).textContent()) ?? '';
      if (around && around.title.test(title)) await around.run(start, step);
      else await start();
      ran.push(n);
    } else {
      await step.getByRole('button', { name: 'Mark done…' }).click();
      await step.getByLabel(/What was done/).fill(note);
      await step.getByRole('button', { name: `Confirm step ${n} done` }).click();
      ticked.push(n);
    }
    await expect(step).toHaveAttribute('data-status', 'done');
  }
  throw new Error('the plan did not finish within 40 steps');
}

test('the timeline shows what is due; a session secret is planned and rotated to the end from the page', async ({
  page,
  served,
  keyring,
  shot,
}) => {
  test.setTimeout(180_000);
  const cli = (...args: string[]) => runCli(args, { env: keyring.session.env, cwd: served.workspace });
  for (const args of [
    ['generate', 'fernet', '--name', 'e2e-rot-pii', '--store'],
    ['generate', 'secret', '--name', 'e2e-rot-session', '--store', '--env-var', 'SECRET_KEY'],
  ]) {
    const run = await cli(...args);
    expect(run.code, run.stderr).toBe(0);
  }
  // The Fernet key's current version was made 200 days ago (past its 180-day default); the session secret is new.
  const inventoryFile = join(keyring.session.keyturnHome, 'inventory.json');
  const inventory = JSON.parse(readFileSync(inventoryFile, 'utf8')) as Inventory;
  inventory.keys.find((k) => k.name === 'e2e-rot-pii')!.versions[0]!.created = new Date(Date.now() - 200 * DAY).toISOString();
  writeFileSync(inventoryFile, JSON.stringify(inventory, null, 2));
  const envFile = join(served.workspace, 'app.env');
  writeFileSync(envFile, `SECRET_KEY=${CANARY}\nSESSION_COOKIE_AGE_SECONDS=1209600\n`, { mode: 0o600 });
  const v1 = await keyring.lookup('e2e-rot-session@v1');
  expect(v1).toBeTruthy();

  await page.goto(served.url);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await nav(page, 'Rotation').click();
  const main = page.getByRole('main');
  const chart = page.getByTestId('due-timeline');
  const pii = chart.locator('[data-key="e2e-rot-pii"]');
  await expect(pii).toHaveAttribute('data-state', 'past');
  await expect(pii).toHaveAttribute('aria-label', /^e2e-rot-pii, fernet, version 1: Past due, 20 days overdue\./);
  await expect(pii.locator('.timeline-over')).toHaveCount(1);
  const session = chart.locator('[data-key="e2e-rot-session"]');
  await expect(session).toHaveAttribute('data-state', 'ok');
  await expect(session).toHaveAttribute('aria-label', /On schedule, due in 89 days/);
  await expect(main.getByRole('figure')).toContainText(/\d+ past due/);
  await main.getByText('Show as a table').click();
  await expect(main.getByRole('row', { name: /e2e-rot-pii/ })).toContainText('Past due: 20 days overdue');

  // Keyboard: the bars are buttons; Enter picks the key.
  await pii.focus();
  await page.keyboard.press('Enter');
  await expect(pii).toHaveAttribute('aria-pressed', 'true');
  const card = page.getByTestId('selected-key');
  await expect(card.getByRole('heading', { name: 'e2e-rot-pii' })).toBeVisible();
  await shot('rotation-timeline');
  // A shorter policy from the page moves the due date; back to the default afterwards.
  await card.getByLabel('Rotate every').fill('400d');
  await card.getByLabel('Warn before').fill('30d');
  await card.getByRole('button', { name: 'Save policy' }).click();
  await expect(pii).toHaveAttribute('data-state', 'ok');
  await card.getByRole('button', { name: 'Back to the default' }).click();
  await expect(pii).toHaveAttribute('data-state', 'past');
  await card.getByLabel('Rotate every').fill('90');
  await card.getByRole('button', { name: 'Save policy' }).click();
  await expect(card.getByRole('alert')).toContainText('The maximum age (--max-age) takes a whole number');
  await expect(card.getByRole('alert')).toContainText('invalid-input');

  // Plan the session secret's rotation from its bar.
  await session.click();
  await page.getByTestId('selected-key').getByRole('button', { name: 'Plan rotation' }).click();
  const form = main.getByRole('form', { name: 'Plan rotation' });
  await form.getByLabel(/The application's \.env files/).fill(envFile);
  await form.getByLabel(/Overlap/).fill('0');
  await form.getByRole('button', { name: 'Write the plan' }).click();
  const checklist = page.getByTestId('plan-checklist');
  await expect(checklist.getByRole('heading', { name: /Rotate e2e-rot-session/ })).toBeVisible();
  await expect(checklist.getByTestId('plan-progress')).toHaveText('0 of 6 steps done; next: step 1.');
  await expect(checklist.getByText(/Sessions and CSRF tokens signed with SECRET_KEY become invalid/).first()).toBeVisible();
  await shot('rotation-plan');

  // A step can be cancelled in its dialog: nothing happens.
  await checklist.getByRole('button', { name: 'Run step 1…' }).click();
  await expect(page.getByRole('dialog')).toContainText(`Back up ${envFile}`);
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(checklist.locator('[data-step="1"]')).toHaveAttribute('data-status', 'pending');

  const { ran, ticked } = await followPlan(page, 'done by the on-call engineer in the maintenance window');
  expect(ran).toEqual(expect.arrayContaining([1, 2, 6]));
  expect(ticked).toEqual(expect.arrayContaining([3, 5]));
  await expect(checklist.locator('[data-step="6"]').getByTestId('step-outcome')).toContainText('Retired e2e-rot-session@v1');
  expect(await keyring.lookup('e2e-rot-session@v1')).toBeNull();
  expect(await keyring.lookup('e2e-rot-session@v2')).toBeTruthy();
  expect(
    readFileSync(
      `${envFile}.${/pre-rotation-\d{8}T\d{4}Z-[\w-]+(?:\.[\w-]+)*/.exec(readFileSync(join(keyring.session.keyturnHome, 'audit.log'), 'utf8'))![0]}`,
      'utf8',
    ),
  ).toContain(CANARY);
  await shot('rotation-finished');

  // The Markdown export is the runbook the CLI prints for the same plan.
  const planId = /\(plan ([^)]+)\)/.exec((await checklist.getByRole('heading', { level: 2 }).first().textContent()) ?? '')![1]!;
  const downloading = page.waitForEvent('download');
  await checklist.getByRole('button', { name: 'Export Markdown' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${planId}.md`);
  const fromPage = readFileSync((await download.path())!, 'utf8');
  const fromCli = await cli('rotate', 'export', planId);
  expect(fromCli.code, fromCli.stderr).toBe(0);
  expect(fromPage).toBe(fromCli.stdout);

  const audit = await cli('audit', 'list', '--json');
  const lines = (JSON.parse(audit.stdout) as { entries: AuditEntry[] }).entries.filter((e) => e.target?.startsWith(`plan:${planId}`));
  expect(lines.map((e) => e.target)).toEqual([
    `plan:${planId}`,
    ...[1, 2, 3, 4, 5, 6].map((n) => `plan:${planId}#${n}${ran.includes(n) ? '' : ':manual'}`),
  ]);
  expect(lines.every((e) => e.outcome === 'ok')).toBe(true);
  for (const text of [
    fromPage,
    audit.stdout,
    served.stderr(),
    readFileSync(join(keyring.session.keyturnHome, 'plans', `${planId}.json`), 'utf8'),
  ]) {
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(v1!);
  }
});

test('a Fernet key on a real PostgreSQL table is rotated from the page: the progress of the re-encryption job inline, 100% verified', async ({
  page,
  served,
  keyring,
  shot,
}) => {
  test.setTimeout(300_000);
  requirePythonCryptography();
  const ROWS = 20_000;
  const server = await startPostgres();
  const db = await pgClient(server.url());
  const blocker = await pgClient(server.url());
  try {
    const oldKey = await pythonKey();
    const dir = join(served.workspace, 'pii-app');
    mkdirSync(dir);
    const envFile = join(dir, '.env');
    writeFileSync(envFile, `DATABASE_URL=${server.url({ scheme: 'postgresql+psycopg2' })}\nPII_ENC_KEY=${oldKey}\n`, { mode: 0o600 });
    const cli = (...args: string[]) => runCli(args, { env: keyring.session.env, cwd: dir });
    const imported = await cli('keys', 'import', 'e2e-rot-fernet', '--from-env', '.env', '--var', 'PII_ENC_KEY', '--kind', 'fernet');
    expect(imported.code, imported.stderr).toBe(0);
    await db.exec('CREATE TABLE users (id integer PRIMARY KEY, email_enc text, phone_enc text)');
    const tokens = await pythonEncrypt(
      oldKey,
      Array.from({ length: 2 * ROWS }, (_, i) => ({
        plaintext: Buffer.from(`person${i >> 1}-${i & 1 ? 'phone' : 'mail'}`),
        at: 1_600_000_000 + i,
      })),
    );
    for (let i = 0; i < ROWS; i += 1000) {
      const ids = Array.from({ length: 1000 }, (_, j) => i + j);
      await db.exec(
        `INSERT INTO users VALUES ${ids.map(() => '(?, ?, ?)').join(', ')}`,
        ids.flatMap((id) => [id, tokens[2 * id], tokens[2 * id + 1]]),
      );
    }

    await page.goto(served.url);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await nav(page, 'Rotation').click();
    await page.getByTestId('due-timeline').locator('[data-key="e2e-rot-fernet"]').click();
    await page.getByTestId('selected-key').getByRole('button', { name: 'Plan rotation' }).click();
    const form = page.getByRole('main').getByRole('form', { name: 'Plan rotation' });
    await form.getByLabel(/The application's \.env files/).fill(envFile);
    await form.getByLabel('Variable holding its URL').fill('DATABASE_URL');
    await form.getByLabel(/Tables and their Fernet columns/).fill('users: email_enc, phone_enc');
    await form.getByLabel(/Overlap/).fill('0');
    await form.getByRole('button', { name: 'Write the plan' }).click();
    const checklist = page.getByTestId('plan-checklist');
    await expect(checklist.getByRole('heading', { name: /Rotate e2e-rot-fernet/ })).toBeVisible();

    const { ran } = await followPlan(page, 'deployed by the on-call engineer', {
      title: /Re-encrypt users \(email_enc, phone_enc\) under e2e-rot-fernet@v2/,
      // An application transaction holds a row lock half-way through the table: the job stops there, in plain view.
      run: async (start, step) => {
        await blocker.exec('BEGIN');
        await blocker.exec('SELECT id FROM users WHERE id = ? FOR UPDATE', [ROWS / 2 + 1]);
        await start();
        const progress = step.getByTestId('job-progress');
        await expect(progress).toHaveAttribute('data-state', 'running');
        const bar = progress.getByRole('progressbar');
        await expect(bar).toHaveAttribute('aria-valuemax', String(ROWS));
        await expect
          .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 })
          .toBeGreaterThanOrEqual(ROWS / 2);
        expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(ROWS);
        await expect(progress).toContainText(`of ${ROWS.toLocaleString('en-US')} rows`);
        await shot('rotation-reencrypt-progress');
        await blocker.exec('ROLLBACK');
      },
    });
    expect(ran.length).toBeGreaterThanOrEqual(6);
    const outcome = (title: RegExp) =>
      checklist
        .getByTestId('plan-step')
        .filter({ has: page.getByRole('heading', { name: title }) })
        .getByTestId('step-outcome');
    await expect(outcome(/Re-encrypt users/)).toContainText(
      `users: ${ROWS.toLocaleString('en-US')} rows read, ${ROWS.toLocaleString('en-US')} re-encrypted under e2e-rot-fernet@v2 (from e2e-rot-fernet@v1), 0 poison.`,
    );
    await expect(outcome(/Verify that e2e-rot-fernet@v2 alone decrypts/)).toContainText(
      'users.email_enc 20,000 of 20,000; users.phone_enc 20,000 of 20,000: 100% under e2e-rot-fernet@v2 alone.',
    );
    await expect(outcome(/Back up the PostgreSQL database/)).toContainText('the dump reads back');
    await shot('rotation-fernet-finished');

    expect(await keyring.lookup('e2e-rot-fernet@v1')).toBeNull();
    const newKey = (await keyring.lookup('e2e-rot-fernet@v2'))!;
    const rows = await db.rows('SELECT email_enc, phone_enc FROM users ORDER BY id');
    const judged = await pythonJudge(newKey, oldKey, rows.flat() as string[]);
    // One comparison for the whole table (an expect per token would be 60,000 of them).
    const wrong = judged.flatMap((j, i) => {
      const plaintext = j?.underNew ? Buffer.from(j.underNew, 'base64').toString() : null;
      return j?.underOld === false && plaintext === `person${i >> 1}-${i & 1 ? 'phone' : 'mail'}` && j.timestamp === 1_600_000_000 + i
        ? []
        : [i];
    });
    expect(wrong).toEqual([]);
    for (const text of [served.stderr(), readFileSync(join(keyring.session.keyturnHome, 'audit.log'), 'utf8')]) {
      expect(text).not.toContain(server.password);
      expect(text).not.toContain(oldKey);
      expect(text).not.toContain(newKey);
    }
  } finally {
    await blocker.close().catch(() => undefined);
    await db.close();
    await server.stop();
  }
});
