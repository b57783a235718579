// The key lifecycle through the UI, shared by the web and Electron projects: generate, store, find, reveal (each reveal
// confirmed outside the page), rotate, delete, audit; each value the UI shows is compared with what the Secret Service holds.
import { expect, type Page } from '@playwright/test';

export interface LifecycleDeps {
  lookup(account: string): Promise<string | null>;
  shot(name: string): Promise<void>;
  /** The user's confirmation after a reveal: the code from keyturn serve's terminal, or the desktop's native dialog. */
  confirm(page: Page): Promise<void>;
}

export function nav(page: Page, label: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true });
}

export async function generateAndStore(page: Page, options: { kind: string; name: string; envVar?: string }): Promise<string> {
  await nav(page, 'Generate').click();
  const main = page.getByRole('main');
  await main.getByLabel('Kind').selectOption(options.kind);
  await main.getByLabel('Name in the keychain (optional)').fill(options.name);
  if (options.envVar) await main.getByLabel('Environment variable hint (optional)').fill(options.envVar);
  await main.getByRole('button', { name: 'Generate', exact: true }).click();
  const panel = page.getByTestId('draft-panel');
  await expect(panel).toBeVisible();
  const fingerprint = (await page.getByTestId('draft-fingerprint').textContent()) ?? '';
  expect(fingerprint.length).toBeGreaterThan(8);
  await panel.getByRole('button', { name: `Store in keychain as ${options.name}` }).click();
  await expect(page.getByTestId('draft-stored')).toHaveText(`in the keychain as ${options.name} v1`);
  return fingerprint;
}

async function revealVersion(page: Page, deps: LifecycleDeps, name: string, version: number): Promise<string> {
  const card = page.getByTestId(`key-${name}`);
  await card.getByRole('button', { name: `Reveal ${name} v${version}` }).click();
  await deps.confirm(page);
  const box = card.getByTestId('secret-value').locator('textarea');
  await expect(box).toBeVisible();
  return box.inputValue();
}

export async function keyLifecycle(page: Page, deps: LifecycleDeps, name = 'e2e-fernet-key'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByLabel('Keychain status')).toHaveAttribute('data-state', 'ok');

  // Generate a named Fernet key and store it.
  const fingerprint = await generateAndStore(page, { kind: 'fernet', name, envVar: 'PII_ENC_KEY' });
  const stored = await deps.lookup(`${name}@v1`);
  expect(stored, 'secret-tool finds the stored key').toMatch(/^[A-Za-z0-9_-]{43}=$/);
  // Nothing secret is in the DOM until the user reveals it.
  expect(await page.content()).not.toContain(stored!);
  await deps.shot('generate');

  // Find it in Keys with its metadata.
  await nav(page, 'Keys').click();
  const card = page.getByTestId(`key-${name}`);
  await expect(card).toBeVisible();
  await expect(card).toContainText('fernet');
  await expect(card).toContainText('PII_ENC_KEY');
  await expect(card.getByTestId('version-1')).toContainText('current');
  await expect(card.getByTestId('version-1')).toContainText(fingerprint);
  expect(await page.content()).not.toContain(stored!);
  await deps.shot('keys');

  // Reveal: the UI shows exactly what the keychain holds, and hides it again on request (never screenshotted).
  expect(await revealVersion(page, deps, name, 1)).toBe(stored);
  await card.getByRole('button', { name: 'Hide now' }).click();
  await expect(card.getByTestId('secret-value')).toHaveCount(0);
  expect(await page.content()).not.toContain(stored!);

  // Rotate: v2 becomes current, v1 is kept as retiring; both still in the keychain.
  await card.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expect(card.getByTestId('version-2')).toContainText('current');
  await expect(card.getByTestId('version-1')).toContainText('retiring');
  const rotated = await deps.lookup(`${name}@v2`);
  expect(rotated).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  expect(rotated).not.toBe(stored);
  expect(await deps.lookup(`${name}@v1`)).toBe(stored);
  expect(await revealVersion(page, deps, name, 2)).toBe(rotated);
  await card.getByRole('button', { name: 'Hide now' }).click();
  await deps.shot('keys-rotated');

  // Retire v1: it leaves the keychain, the inventory keeps it as retired, v2 is untouched.
  await card.getByTestId('version-1').getByRole('button', { name: 'Retire…' }).click();
  await card.getByTestId('version-1-confirm').getByRole('button', { name: 'Delete v1 from keychain' }).click();
  await expect(card.getByTestId('version-1')).toContainText('retired');
  await expect(card.getByTestId('version-1').getByRole('button', { name: `Reveal ${name} v1` })).toHaveCount(0);
  expect(await deps.lookup(`${name}@v1`)).toBeNull();
  expect(await deps.lookup(`${name}@v2`)).toBe(rotated);

  // Delete asks for the name; a wrong name leaves the button disabled.
  await card.getByRole('button', { name: 'Delete…' }).click();
  const confirm = card.getByRole('form', { name: `Delete ${name}` });
  await confirm.getByLabel('Key name').fill(`${name}-typo`);
  await expect(confirm.getByRole('button', { name: 'Delete permanently' })).toBeDisabled();
  await confirm.getByLabel('Key name').fill(name);
  await confirm.getByRole('button', { name: 'Delete permanently' }).click();
  await expect(page.getByTestId(`key-${name}`)).toHaveCount(0);
  expect(await deps.lookup(`${name}@v2`)).toBeNull();

  // Audit: every step is logged for this key and the chain verifies.
  await nav(page, 'Audit').click();
  await expect(page.getByTestId('audit-chain')).toHaveAttribute('data-ok', 'true');
  const table = page.getByTestId('audit-table');
  for (const action of ['store', 'reveal', 'rotate', 'retire', 'delete']) {
    await expect(table.locator('tr', { hasText: name }).filter({ hasText: action }).first()).toBeVisible();
  }
  const audit = (await table.textContent()) ?? '';
  expect(audit).not.toContain(stored!);
  expect(audit).not.toContain(rotated!);
  await deps.shot('audit');
}
