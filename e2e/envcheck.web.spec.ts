// Web project: the Check .env screen: typed paths, a profile, findings per file, "generate" into the Generate flow,
// and "fill missing values" that writes the file (with a backup) and stores the new value in the keychain.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

test('check a folder against a profile, generate the missing key, then fill the file', async ({ page, served, keyring, shot }) => {
  const dir = mkdtempSync(join(served.workspace, 'env-'));
  const app = join(dir, 'app');
  mkdirSync(app);
  const envFile = join(app, '.env');
  const secretKey = randomBytes(48).toString('base64url');
  writeFileSync(envFile, `# ResumeRAG backend\nDATABASE_URL=postgresql+asyncpg://app@db:5432/resumerag\nSECRET_KEY=${secretKey}\n`);
  chmodSync(envFile, 0o600);
  try {
    await page.goto(served.url);
    await nav(page, 'Check .env').click();
    const main = page.getByRole('main');
    await expect(main.getByText('In the browser there is no file dialog')).toBeVisible();
    await main.getByLabel(/Files or folders/).fill(dir);
    await main.getByLabel('Profile').selectOption('resumerag-phase2');
    await main.getByRole('button', { name: 'Check', exact: true }).click();

    const report = page.getByTestId('env-report');
    const file = report.getByTestId('env-file').filter({ hasText: envFile });
    await expect(file).toBeVisible();
    const missing = file.locator('li[data-code="missing-required"]', { hasText: 'PII_ENC_KEY' });
    await expect(missing).toBeVisible();
    await expect(missing).toContainText('Fix:');
    await expect(report.getByRole('status').first()).toContainText(/[1-9]\d* errors?/);
    expect(await page.content()).not.toContain(secretKey);
    await shot('envcheck');

    // "Generate" opens the Generate flow for that variable, with the right kind, name and hint.
    await missing.getByRole('button', { name: 'Generate PII_ENC_KEY…' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Generate a key' })).toBeVisible();
    await expect(main.getByLabel('Kind')).toHaveValue('fernet');
    await expect(main.getByLabel('Name in the keychain (optional)')).toHaveValue('pii-enc-key');
    await expect(main.getByLabel('Environment variable hint (optional)')).toHaveValue('PII_ENC_KEY');
    await main.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.getByRole('button', { name: 'Store in keychain as pii-enc-key' }).click();
    await expect(page.getByTestId('draft-stored')).toHaveText('in the keychain as pii-enc-key v1');
    expect(await keyring.lookup('pii-enc-key@v1')).toMatch(/^[A-Za-z0-9_-]{43}=$/);

    // "Fill missing values" writes a fresh key into the file, keeps a backup, and stores it under the prefix.
    await nav(page, 'Check .env').click();
    await main.getByLabel(/Files or folders/).fill(envFile);
    await main.getByLabel('Profile').selectOption('resumerag-phase2');
    await main.getByRole('button', { name: 'Check', exact: true }).click();
    const again = page.getByTestId('env-file').filter({ hasText: envFile });
    await again.getByLabel(/store new values in the keychain/).fill('e2e-');
    await again.getByRole('button', { name: 'Fill missing values' }).click();
    const result = page.getByTestId('env-fix-result');
    await expect(result).toContainText('PII_ENC_KEY');
    await expect(result).toContainText('e2e-pii-enc-key');
    const backup = /kept as (\S+)\./.exec((await result.textContent()) ?? '')?.[1];
    expect(backup, 'the fix names its backup').toBeTruthy();
    expect(readFileSync(backup!, 'utf8')).not.toContain('PII_ENC_KEY=');
    const written = readFileSync(envFile, 'utf8');
    const filled = /^PII_ENC_KEY=(.+)$/m.exec(written)?.[1];
    expect(filled).toBeTruthy();
    expect(await keyring.lookup('e2e-pii-enc-key@v1')).toBe(filled);
    expect(written).toContain(`SECRET_KEY=${secretKey}`);
    expect(written.startsWith('# ResumeRAG backend\n')).toBe(true);
    expect(await page.content()).not.toContain(filled!);
    // The re-check after the fix no longer reports the variable missing.
    await expect(
      page.getByTestId('env-file').filter({ hasText: envFile }).locator('li[data-code="missing-required"]', { hasText: 'PII_ENC_KEY' }),
    ).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing path and a path outside the served folder are sentences, not crashes', async ({ page, served }) => {
  await page.goto(served.url);
  await nav(page, 'Check .env').click();
  const main = page.getByRole('main');
  await main.getByLabel(/Files or folders/).fill(join(served.workspace, 'nonexistent', '.env'));
  await main.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(/nonexistent\/\.env does not exist/);
  await main.getByLabel(/Files or folders/).fill('/etc/passwd');
  await main.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(`only reads and writes files under ${served.workspace}`);
});
