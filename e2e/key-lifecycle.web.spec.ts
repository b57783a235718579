// Web project: the key lifecycle in Debian's Chromium against `keyturn serve` and a real gnome-keyring.
import { keyLifecycle } from './flows/key-lifecycle.js';
import { terminalCodeConfirm } from './flows/release-confirm.js';
import { expect, test } from './fixtures/keyturn-test.js';

test('generate, find, reveal, rotate, retire, delete and audit a Fernet key', async ({ page, served, keyring, shot }) => {
  await page.goto(served.url);
  // The token leaves the address bar at once: not in history, bookmarks or screenshots.
  await expect.poll(() => page.url()).toBe(`${served.origin}/`);
  await keyLifecycle(page, { lookup: keyring.lookup, shot, confirm: terminalCodeConfirm(served) });
  expect(served.stderr()).not.toMatch(/[A-Za-z0-9_-]{43}=/);
});

test('light and dark themes follow the OS setting', async ({ page, served, shot }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(served.url);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await shot('generate-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(dark).not.toBe(light);
  expect(dark).toBe('rgb(18, 20, 24)');
  expect(light).toBe('rgb(246, 247, 249)');
});

test('the app is usable from the keyboard alone', async ({ page, served }) => {
  await page.goto(served.url);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Generate' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Keys' })).toBeFocused();
});
