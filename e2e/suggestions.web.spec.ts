// Web project: every button the Check .env screen offers on the fixtures works. Each "Generate VAR…" opens the
// Generate form filled for that variable and generates without an error; each "Fix N values" writes the file and the
// re-check no longer offers anything to fix there. (The CLI's suggested commands: env-suggestions.test.ts.)
import { cpSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getProfile } from '../shared/envcheck/profiles.js';
import { SECRET_TYPES } from '../shared/envcheck/types.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

const FIXTURES = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'env', 'profiles');
const FIX_BUTTON = /^Fix \d+ values? with new secrets$/;

for (const profile of readdirSync(FIXTURES)) {
  test(`every button offered for the ${profile} fixtures works`, async ({ page, served }) => {
    test.setTimeout(180_000);
    const dir = join(served.workspace, `buttons-${profile}`);
    cpSync(join(FIXTURES, profile), dir, { recursive: true });
    await page.goto(served.url);
    await nav(page, 'Check .env').click();
    const main = page.getByRole('main');
    await main.getByLabel(/Files or folders/).fill(dir);
    await main.getByLabel('Profile').selectOption(profile);
    await main.getByRole('button', { name: 'Check', exact: true }).click();
    const report = page.getByTestId('env-report');
    await expect(report).toBeVisible();

    const generateButtons = await report.getByRole('button', { name: /^Generate .+…$/ }).allTextContents();
    for (const [i, label] of generateButtons.entries()) {
      // Coming back to the screen shows the same report (the check is not run again), so the i-th button is the same one.
      await report
        .getByRole('button', { name: /^Generate .+…$/ })
        .nth(i)
        .click();
      await expect(page.getByRole('heading', { level: 1, name: 'Generate a key' })).toBeVisible();
      const variable = label.replace(/^Generate /, '').replace(/…$/, '');
      // A generated key can only fix a variable whose rule asks for one (never a URL or a connection string).
      const rule = getProfile(profile).variables.find((v) => v.name === variable);
      expect(rule && SECRET_TYPES.has(rule.type), `"${label}" is offered for a ${rule?.type ?? 'variable without a rule'}`).toBe(true);
      await expect(main.getByLabel('Environment variable hint (optional)')).toHaveValue(variable);
      await expect(main.locator('.field-error')).toHaveCount(0);
      await main.getByRole('button', { name: 'Generate', exact: true }).click();
      await expect(page.getByTestId('draft-panel')).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
      await nav(page, 'Check .env').click();
      await expect(report).toBeVisible();
    }

    const files = report.getByTestId('env-file').filter({ has: page.getByRole('button', { name: FIX_BUTTON }) });
    const paths = await files.locator('h2 code').allTextContents();
    for (const path of paths) {
      const card = report.getByTestId('env-file').filter({ has: page.locator('h2 code', { hasText: path }) });
      await card.getByRole('button', { name: FIX_BUTTON }).click();
      await expect(card.getByTestId('env-fix-result')).toContainText(`to ${path}`);
      await expect(card.getByRole('alert')).toHaveCount(0);
      // The re-check after the fix: nothing left on this file for the button (or for a Generate button) to do.
      await expect(card.getByRole('button', { name: FIX_BUTTON })).toHaveCount(0);
      await expect(card.locator('li[data-code]').filter({ has: page.getByRole('button', { name: /^Generate .+…$/ }) })).toHaveCount(0);
    }
  });
}
