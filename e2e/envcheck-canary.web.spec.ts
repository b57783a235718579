// Web project, issue 9 item 1: the canary tree checked through the UI (Chromium against keyturn serve). No canary is in
// the page, in any answer the page received, or in the job files keyturn serve keeps under KEYTURN_HOME.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canariesIn, canaryFilesUnder, plantCanaryTree } from '../test/support/canary-tree.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

test('checking a tree of planted canaries shows none of them, in the page or in what it received', async ({ page, served, keyring }) => {
  const outside = mkdtempSync(join(tmpdir(), 'keyturn-e2e-dot-ssh-'));
  const tree = plantCanaryTree(mkdtempSync(join(served.workspace, 'canary-')), outside);
  const received: string[] = [];
  page.on('response', async (response) => {
    if (response.url().includes('/ipc/')) received.push(await response.text().catch(() => ''));
  });
  try {
    await page.goto(served.url);
    await nav(page, 'Check .env').click();
    const main = page.getByRole('main');
    await main.getByLabel(/Files or folders/).fill(`${tree.root}\n${tree.root}/app/.env`);
    await main.getByRole('button', { name: 'Check', exact: true }).click();
    const report = page.getByTestId('env-report');
    const app = report.getByRole('article', { name: join(tree.root, 'app', '.env'), exact: true });
    // Three lines of the pasted P-256 key, the stray token, the base64 fragment: each by its line only.
    await expect(app.locator('li[data-code="not-a-variable"]')).toHaveCount(5);
    const link = report.getByRole('article', { name: join(tree.root, 'repo', '.env'), exact: true });
    await expect(link.locator('li[data-code="skipped-file"]')).toContainText('symbolic link to a file outside the folder');
    const shown = [await page.content(), await main.innerText()];

    // A bad schema, then the key outside the served folder: sentences, and nothing of either file.
    for (const schema of tree.badSchemas) {
      await main.getByLabel('Schema file (optional, keyturn-env.json)').fill(schema);
      await main.getByRole('button', { name: 'Check', exact: true }).click();
      await expect(page.getByRole('alert').filter({ hasText: 'is not a valid Keyturn schema' }).first()).toBeVisible();
      shown.push(await page.content());
    }
    await main.getByLabel('Schema file (optional, keyturn-env.json)').fill('');
    await main.getByLabel(/Files or folders/).fill(tree.outsideKey);
    await main.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: `only reads and writes files under ${served.workspace}` })).toBeVisible();
    shown.push(await page.content());

    for (const [i, text] of [...shown, ...received].entries()) expect(canariesIn(text, tree.canaries), `output ${i}`).toEqual([]);
    expect(received.length).toBeGreaterThan(3);
    expect(canaryFilesUnder(join(keyring.session.keyturnHome, 'jobs'), tree.canaries)).toEqual([]);
    expect(canariesIn(served.stderr(), tree.canaries)).toEqual([]);
  } finally {
    rmSync(outside, { recursive: true, force: true });
    rmSync(tree.root, { recursive: true, force: true });
  }
});
