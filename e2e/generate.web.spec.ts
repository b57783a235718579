// Web project: the Generate screen beyond the happy path: every kind, exports, and the clipboard that clears itself.
import { generateAndStore, nav } from './flows/key-lifecycle.js';
import { terminalCodeConfirm } from './flows/release-confirm.js';
import { expect, test } from './fixtures/keyturn-test.js';

test('copy puts the value on the clipboard and clears it 30 s later', async ({ page, context, served, keyring, shot }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await page.clock.install();
  await page.goto(served.url);
  await generateAndStore(page, { kind: 'secret', name: 'e2e-clipboard' });
  const stored = await keyring.lookup('e2e-clipboard@v1');
  expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const confirm = terminalCodeConfirm(served);
  await page.getByRole('button', { name: 'Copy value' }).click();
  await confirm(page);
  await expect(page.getByText(/Copied; the clipboard clears in \d+ s\./)).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(stored);
  expect(await page.content()).not.toContain(stored!);
  await shot('generate-copied');

  await page.clock.runFor(29_000);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(stored);
  await page.clock.runFor(2_000);
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('');

  // A copy from Keys reads the stored version (audited as a copy) the same way.
  await nav(page, 'Keys').click();
  await page.getByTestId('key-e2e-clipboard').getByRole('button', { name: 'Copy', exact: true }).click();
  await confirm(page);
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(stored);
  await nav(page, 'Audit').click();
  await expect(page.getByTestId('audit-table').locator('tr', { hasText: 'e2e-clipboard' }).filter({ hasText: 'copy' })).toHaveCount(1);
});

test('something the user copied after us is not cleared', async ({ page, context, served }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.origin });
  await page.clock.install();
  await page.goto(served.url);
  const main = page.getByRole('main');
  const confirm = terminalCodeConfirm(served);
  await main.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByRole('button', { name: 'Copy value' }).click();
  await confirm(page);
  await expect(page.getByText(/Copied; the clipboard clears/)).toBeVisible();
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await page.clock.runFor(31_000);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('something else');
});

test('every kind of key generates with its metadata, and nothing is stored without a name', async ({ page, served }) => {
  const listKeys = async () => {
    const r = await page.request.post(`${served.origin}/ipc/listKeys`, { headers: { Authorization: `Bearer ${served.token}` }, data: {} });
    return ((await r.json()) as { value: unknown[] }).value.length;
  };
  const before = await listKeys();
  await page.goto(served.url);
  const main = page.getByRole('main');
  const cases: { kind: string; alg?: string; size?: string; bits: string }[] = [
    { kind: 'fernet', bits: '256 bits' },
    { kind: 'secret', size: '64', bits: '512 bits' },
    { kind: 'jwt-hmac', alg: 'HS384', bits: '384 bits' },
    { kind: 'jwt-rsa', alg: 'PS256', size: '2048', bits: '2048 bits' },
    { kind: 'jwt-ec', alg: 'ES384', bits: '384 bits' },
    { kind: 'jwt-ed25519', bits: '256 bits' },
  ];
  for (const c of cases) {
    await main.getByLabel('Kind').selectOption(c.kind);
    if (c.alg) await main.getByLabel('Algorithm').selectOption(c.alg);
    if (c.size) await main.getByLabel('Size').selectOption(c.size);
    await main.getByRole('button', { name: 'Generate', exact: true }).click();
    const panel = page.getByTestId('draft-panel');
    await expect(panel.getByRole('heading')).toHaveText(`Generated ${c.kind} key`);
    await expect(panel).toContainText(c.bits);
    if (c.alg) await expect(panel).toContainText(c.alg);
    await expect(panel.getByRole('button', { name: 'Store in keychain (enter a name above)' })).toBeDisabled();
  }
  expect(await listKeys()).toBe(before);
});

test('exports: an env line with the hint, a public-only JWKS, and a private JWK that hides itself', async ({ page, served, keyring }) => {
  await page.clock.install();
  await page.goto(served.url);
  const main = page.getByRole('main');
  const confirm = terminalCodeConfirm(served);
  await generateAndStore(page, { kind: 'fernet', name: 'e2e-export', envVar: 'PII_ENC_KEY' });
  const stored = await keyring.lookup('e2e-export@v1');
  await main.getByLabel('Export as').selectOption('env');
  await main.getByRole('button', { name: 'Show export' }).click();
  await confirm(page);
  const box = page.getByTestId('secret-value').locator('textarea');
  await expect(box).toHaveValue(new RegExp(`^PII_ENC_KEY=${stored!.replace(/[-]/g, '\\-')}\\s*$`));
  await page.getByRole('button', { name: 'Hide now' }).click();
  await expect(page.getByTestId('secret-value')).toHaveCount(0);

  await main.getByLabel('Kind').selectOption('jwt-ec');
  await main.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.getByTestId('draft-panel').getByRole('heading')).toHaveText('Generated jwt-ec key');
  await main.getByLabel('Export as').selectOption('jwks');
  await main.getByRole('button', { name: 'Show export' }).click();
  const publicBox = page.getByLabel(/public material only/);
  const jwks = JSON.parse(await publicBox.inputValue()) as { keys: Record<string, unknown>[] };
  expect(jwks.keys).toHaveLength(1);
  expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
  expect(jwks.keys[0]).not.toHaveProperty('d');

  await main.getByLabel('Export as').selectOption('jwk');
  await main.getByRole('button', { name: 'Show export' }).click();
  await confirm(page);
  const jwk = JSON.parse(await page.getByTestId('secret-value').locator('textarea').inputValue()) as Record<string, unknown>;
  expect(jwk).toHaveProperty('d');
  await page.clock.runFor(21_000);
  await expect(page.getByTestId('secret-value')).toHaveCount(0);
  expect(await page.content()).not.toContain(String(jwk.d));
});
