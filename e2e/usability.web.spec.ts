// Web project: the first-release UI fixes (issue 10), each checked in Chromium against `keyturn serve`: filters, an
// unavailable keychain, results that survive navigation, one command per finding, folded clean files, a retire
// confirmation that does not reflow, per-kind env-var hints, uncut profile names, audit cells on one line, an empty log.
import { test as base } from '@playwright/test';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../test/support/run-cli.js';
import { startSecretService } from '../test/support/secret-service.js';
import { startKeyturnServe } from './fixtures/keyturn-serve.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

const FIX_BUTTON = /^Fix \d+ values? with new secrets$/;

test('Keys: a filter with no match says so, and the last action’s banner does not stay over it', async ({ page, keyring, served }) => {
  const cli = (...args: string[]) => runCli(args, { env: keyring.session.env });
  expect((await cli('generate', 'secret', '--name', 'ui-filter-a', '--store')).code).toBe(0);
  await page.goto(served.url);
  await nav(page, 'Keys').click();
  const card = page.getByTestId('key-ui-filter-a');
  await card.getByRole('button', { name: 'Rotate', exact: true }).click();
  const banner = page.getByRole('main').locator('p.notice-ok[role="status"]');
  await expect(banner).toContainText('Rotated ui-filter-a');
  await page.getByRole('main').getByRole('searchbox', { name: 'Filter' }).fill('no-such-name');
  await expect(page.getByTestId('keys-no-match')).toContainText('No key name contains “no-such-name”');
  await expect(banner).toHaveText('');
  await expect(banner).toBeHidden();
  await page.getByTestId('keys-no-match').getByRole('button', { name: 'Clear the filter' }).click();
  await expect(card).toBeVisible();
});

test('Check .env: results, the form and the fix result survive leaving the screen; a fix uses the report’s profile', async ({
  page,
  served,
}) => {
  const dir = mkdtempSync(join(served.workspace, 'nav-'));
  const envFile = join(dir, '.env');
  writeFileSync(envFile, 'DATABASE_URL=postgresql+asyncpg://app:T9She0mrezLsk4YsNg9hes8@db:5432/app\nSECRET_KEY=changeme\n', {
    mode: 0o600,
  });
  await page.goto(served.url);
  await nav(page, 'Check .env').click();
  const main = page.getByRole('main');
  await main.getByLabel(/Files or folders/).fill(dir);
  await main.getByLabel('Profile').selectOption('resumerag-phase2');
  await main.getByRole('button', { name: 'Check', exact: true }).click();
  const file = page.getByTestId('env-file').filter({ hasText: envFile });
  await expect(file.locator('li[data-code="missing-required"]', { hasText: 'PII_ENC_KEY' })).toBeVisible();

  await nav(page, 'Keys').click();
  await nav(page, 'Check .env').click();
  await expect(file.locator('li[data-code="missing-required"]', { hasText: 'PII_ENC_KEY' })).toBeVisible();
  await expect(main.getByLabel(/Files or folders/)).toHaveValue(dir);
  await expect(main.getByLabel('Profile')).toHaveValue('resumerag-phase2');

  // The form may change after the check; the fix still follows the report on screen (profile resumerag-phase2).
  await main.getByLabel('Profile').selectOption('');
  await file.getByRole('button', { name: FIX_BUTTON }).click();
  const result = page.getByTestId('env-fix-result');
  await expect(result).toContainText('PII_ENC_KEY');
  await expect(result).toContainText('SECRET_KEY');
  await nav(page, 'Generate').click();
  await nav(page, 'Check .env').click();
  await expect(page.getByTestId('env-fix-result')).toContainText('PII_ENC_KEY');
});

test('Check .env: each command shows once; clean files and backups fold into one line', async ({ page, served }) => {
  const dir = mkdtempSync(join(served.workspace, 'fold-'));
  for (const name of ['a', 'b', 'c']) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, '.env'), 'PORT=8080\n', { mode: 0o600 });
  }
  writeFileSync(join(dir, 'a', '.env.1.bak'), 'PORT=80\n', { mode: 0o600 });
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', '.env'), 'SECRET_KEY=changeme\n', { mode: 0o600 });
  await page.goto(served.url);
  await nav(page, 'Check .env').click();
  const main = page.getByRole('main');
  await main.getByLabel(/Files or folders/).fill(dir);
  await main.getByLabel('Profile').selectOption('');
  await main.getByRole('button', { name: 'Check', exact: true }).click();
  const report = page.getByTestId('env-report');
  await expect(report.getByTestId('env-file')).toHaveCount(1);
  await expect(report.getByTestId('env-clean-files')).toContainText('4 files without findings');
  const weak = report.locator('li[data-code="weak-value"]');
  const text = (await weak.textContent()) ?? '';
  const command = /`?(keyturn env fix \S+ --regenerate SECRET_KEY)`?/.exec(text)?.[1];
  expect(command, 'the finding names its command').toBeTruthy();
  expect(text.split(command!).length - 1).toBe(1);
});

test('Keys: the retire confirmation does not move the table', async ({ page, keyring, served }) => {
  const cli = (...args: string[]) => runCli(args, { env: keyring.session.env });
  expect((await cli('generate', 'fernet', '--name', 'ui-retire', '--store')).code).toBe(0);
  expect((await cli('keys', 'rotate', 'ui-retire')).code).toBe(0);
  await page.goto(served.url);
  await nav(page, 'Keys').click();
  const card = page.getByTestId('key-ui-retire');
  const layout = () =>
    card.locator('table').evaluate((table) => ({
      columns: Array.from(table.querySelectorAll('thead th')).map((th) => {
        const r = th.getBoundingClientRect();
        return [Math.round(r.left), Math.round(r.width)];
      }),
      row: Math.round(table.querySelector('[data-testid="version-1"]')!.getBoundingClientRect().height),
    }));
  const before = await layout();
  await card.getByTestId('version-1').getByRole('button', { name: 'Retire…' }).click();
  await expect(card.getByRole('button', { name: 'Delete v1 from keychain' })).toBeVisible();
  expect(await layout()).toEqual(before);
  await card.getByTestId('version-1-confirm').getByRole('button', { name: 'Keep' }).click();
  await expect(card.getByTestId('version-1-confirm')).toHaveCount(0);
});

test('Generate: an env-var hint belongs to its kind; switching kinds neither carries nor loses it', async ({ page, served }) => {
  await page.goto(served.url);
  await nav(page, 'Generate').click();
  const main = page.getByRole('main');
  const hint = main.getByLabel('Environment variable hint (optional)');
  await main.getByLabel('Kind').selectOption('fernet');
  await hint.fill('PII_ENC_KEY');
  await main.getByLabel('Kind').selectOption('jwt-rsa');
  await expect(hint).toHaveValue('');
  await expect(hint).toHaveAttribute('placeholder', 'JWT_PRIVATE_KEY');
  await main.getByLabel('Kind').selectOption('fernet');
  await expect(hint).toHaveValue('PII_ENC_KEY');
});

test('Check .env: no profile name is cut off in the dropdown, on a narrow window', async ({ page, served }) => {
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.goto(served.url);
  await nav(page, 'Check .env').click();
  const select = page.getByRole('main').getByLabel('Profile');
  await expect(select.locator('option')).toHaveCount(6);
  const cut = await select.evaluate((el) => {
    const s = el as HTMLSelectElement;
    const style = getComputedStyle(s);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // The room for text: the box minus its padding and the drop-down arrow.
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
    return Array.from(s.options)
      .filter((o) => ctx.measureText(o.text).width > room)
      .map((o) => o.text);
  });
  expect(cut).toEqual([]);
});

test('Audit: timestamps and hashes stay on one line, long targets included', async ({ page, served, keyring }) => {
  // An import leaves a line whose target is the (long) path of the .env file it came from.
  const dir = mkdtempSync(join(served.workspace, 'a-rather-long-folder-name-for-the-audit-target-column-'));
  const envFile = join(dir, '.env');
  const key = await runCli(['generate', 'fernet'], { env: keyring.session.env });
  writeFileSync(envFile, `LEGACY_KEY=${key.stdout.trim()}\n`);
  chmodSync(envFile, 0o600);
  const r = await runCli(['keys', 'import', 'ui-audit-legacy', '--from-env', envFile, '--var', 'LEGACY_KEY'], { env: keyring.session.env });
  expect(r.code, r.stderr).toBe(0);
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.goto(served.url);
  await nav(page, 'Audit').click();
  const table = page.getByTestId('audit-table');
  await expect(table.locator('tr', { hasText: 'ui-audit-legacy' }).first()).toBeVisible();
  const wrapped = await table.evaluate(
    (t) =>
      Array.from(t.querySelectorAll('tbody time, tbody td:last-child code')).filter(
        (el) => el.getClientRects().length !== 1 || el.getBoundingClientRect().height > 30,
      ).length,
  );
  expect(wrapped).toBe(0);
});

base('an unavailable keychain is said on Keys (not "No keys yet"); an empty audit log reads as such', async ({ page }) => {
  const session = await startSecretService({ scenario: 'no-provider' });
  const served = await startKeyturnServe(session.env);
  try {
    await page.goto(served.url);
    await nav(page, 'Keys').click();
    const warning = page.getByTestId('keys-keychain');
    await expect(warning).toContainText('The keychain is unavailable');
    await expect(page.getByText('No keys yet')).toHaveCount(0);
    await nav(page, 'Audit').click();
    await expect(page.getByTestId('audit-chain')).toHaveText('The log is empty: there is nothing to verify yet.');
  } finally {
    await served.stop();
    await session.stop();
  }
});

test('storing under a taken prefix: the message names the page’s checkbox, not a CLI flag; ticking it stores', async ({
  page,
  served,
  keyring,
}) => {
  expect((await runCli(['generate', 'secret', '--name', 'taken-secret-key', '--store'], { env: keyring.session.env })).code).toBe(0);
  const dir = mkdtempSync(join(served.workspace, 'taken-'));
  const envFile = join(dir, '.env');
  writeFileSync(envFile, 'A=1\n', { mode: 0o600 });
  await page.goto(served.url);
  await nav(page, 'Check .env').click();
  const main = page.getByRole('main');
  await main.getByLabel(/Files or folders/).fill(envFile);
  await main.getByLabel('Profile').selectOption('namaskah-security-2.4');
  await main.getByRole('button', { name: 'Check', exact: true }).click();
  const file = page.getByTestId('env-file').filter({ hasText: envFile });
  await file.getByLabel(/store new values in the keychain/).fill('taken-');
  await file.getByRole('button', { name: FIX_BUTTON }).click();
  const alert = file.getByRole('alert');
  await expect(alert).toContainText('A key named taken-secret-key already exists');
  await expect(alert).toContainText('Tick “Add as new versions of keys that exist” to do that.');
  await expect(alert).not.toContainText('--add-version');
  await file.getByLabel('Add as new versions of keys that exist').check();
  await file.getByRole('button', { name: FIX_BUTTON }).click();
  await expect(page.getByTestId('env-fix-result')).toContainText('SECRET_KEY as taken-secret-key v2');
});
