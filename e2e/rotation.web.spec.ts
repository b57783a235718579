// Web project: the Rotation screen against `keyturn serve` and a real gnome-keyring. The timeline shows a key past due
// (by keyboard too), its policy changes, "Plan rotation" writes a plan, and the checklist is followed to the end:
// Keyturn's steps after the dialog's confirmation, the rest ticked off with a note; the old version leaves the keychain,
// the Markdown export is the CLI's runbook byte for byte, and every step is in the audit log.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { AuditEntry } from '../shared/domain/audit.js';
import type { Inventory } from '../shared/domain/inventory.js';
import { runCli } from '../test/support/run-cli.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

const CANARY = 'canary-e2e-rotation-value-5fR2kQ9w';
const DAY = 86_400_000;

/** Follows a plan in the page to its end: runs what Keyturn runs (confirmed in the dialog), ticks off the rest. */
async function followPlan(page: Page, note: string): Promise<{ ran: number[]; ticked: number[] }> {
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
      await run.click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: `Run step ${n}`, exact: true }).click();
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
      `${envFile}.${/pre-rotation-\d{8}T\d{4}Z/.exec(readFileSync(join(keyring.session.keyturnHome, 'audit.log'), 'utf8'))![0]}`,
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
