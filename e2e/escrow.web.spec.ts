// Web project: the Escrow screen as custodians use it. Two keys from the keychain go into a 3-of-5 bundle; then three
// custodians restore it: one types their share (after a typo the page names the group), one hands over a scan of their
// QR code, one pastes theirs; the drill passes with every fingerprint, and the keys come back in a new 0600 file equal
// to what the Secret Service holds. No share and no value ever appears in the page or the server's output.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateAndStore, nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

/** The share printed on a text sheet: its four numbered lines. */
function sheetShare(textSheet: string): string {
  return readFileSync(textSheet, 'utf8')
    .split('\n')
    .filter((l) => /^ {3}\d {2}\S{6} /.test(l))
    .join('\n');
}

test('create a 3-of-5 bundle, then three custodians run a drill and restore it', async ({ page, served, keyring, shot }) => {
  await page.goto(served.url);
  const pii = await generateAndStore(page, { kind: 'fernet', name: 'escrow-pii' });
  const api = await generateAndStore(page, { kind: 'secret', name: 'escrow-api' });
  const values = [(await keyring.lookup('escrow-pii@v1'))!, (await keyring.lookup('escrow-api@v1'))!];

  await nav(page, 'Escrow').click();
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'Escrow' })).toBeVisible();
  const create = main.getByRole('region', { name: 'Create an escrow bundle' });
  await create.getByLabel(/^escrow-pii/).check();
  await create.getByLabel(/^escrow-api/).check();
  await create.getByRole('button', { name: 'Add custodian' }).click();
  await create.getByRole('button', { name: 'Add custodian' }).click();
  for (const [i, name] of ['alice', 'bob', 'carol', 'dave', 'erin'].entries())
    await create.getByLabel(`Custodian ${i + 1}`, { exact: true }).fill(name);
  await create.getByLabel(/Shares needed to restore/).selectOption('3');
  await create.getByLabel('Folder for the bundle and its sheets').fill('escrow-e2e');
  await create.getByRole('button', { name: 'Create 3-of-5 bundle' }).click();
  const created = page.getByTestId('escrow-created');
  await expect(created.getByRole('status')).toContainText(/Bundle [0-9A-Z]{8} created: any 3 of 5 custodians restore 2 keys\./);
  await expect(created.getByRole('table', { name: 'Keys in the bundle' })).toContainText(pii);
  await expect(created.getByRole('table', { name: 'Keys in the bundle' })).toContainText(api);
  await shot('escrow-created');

  // What the host wrote: the manifest and one sheet per custodian, in the folder the page named.
  const manifestPath = (await created.locator('dd code').nth(1).textContent())!;
  expect(manifestPath.startsWith(join(served.workspace, 'escrow-e2e'))).toBe(true);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bundleId: string; set: { custodians: { name: string }[] } };
  const sheets = manifest.set.custodians.map((c, i) =>
    join(served.workspace, 'escrow-e2e', 'shares', `escrow-${manifest.bundleId}-s1-share-${i + 1}-${c.name}`),
  );
  const shares = sheets.map((base) => sheetShare(`${base}.txt`));

  // The restore wizard opens the bundle just made.
  const wizard = main.getByRole('region', { name: 'Restore or drill' });
  await wizard.getByRole('button', { name: 'Open bundle' }).click();
  await expect(wizard.getByTestId('escrow-bundle')).toContainText('any 3 of 5 (alice, bob, carol, dave, erin)');
  const box = wizard.getByLabel(/Type or paste a share/);

  // Alice types hers with one character wrong: the page names the group, and nothing is kept.
  const lines = shares[0]!.split('\n');
  const typo = lines[1]!.replace(/^(\s+2 {2}\S{6} )(.)/, (_m, head: string, c: string) => head + (c === '7' ? '8' : '7'));
  await box.fill([lines[0], typo, lines[2], lines[3]].join('\n'));
  await wizard.getByRole('button', { name: 'Add typed share' }).click();
  await expect(wizard.getByRole('alert')).toContainText('group 6 of 16 has a typing error');
  await box.fill(shares[0]!);
  await wizard.getByRole('button', { name: 'Add typed share' }).click();
  await expect(box).toHaveValue('');
  await expect(wizard.getByTestId('share-count')).toHaveText('1 of 3 shares given: 2 more needed.');

  // Carol hands over a scan of her sheet's QR code.
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', `${sheets[2]}.pdf`, join(served.workspace, 'carol-scan')]);
  await wizard.getByLabel('Or a photo or scan of a QR code').setInputFiles(join(served.workspace, 'carol-scan.png'));
  await expect(wizard.getByTestId('held-share')).toHaveCount(2);
  await expect(wizard.getByTestId('held-share').nth(1)).toContainText('Share 3 (carol), scan carol-scan.png');
  await expect(wizard.getByTestId('share-count')).toHaveText('2 of 3 shares given: 1 more needed.');

  // Erin pastes hers; the drill proves the bundle.
  await box.fill(shares[4]!);
  await wizard.getByRole('button', { name: 'Add typed share' }).click();
  await expect(wizard.getByTestId('share-count')).toHaveText('3 of 3 shares given: enough to restore.');
  await wizard.getByRole('button', { name: 'Run drill' }).click();
  const drill = wizard.getByTestId('escrow-drill');
  await expect(drill.getByRole('status')).toContainText(/Drill passed: the shares of alice, carol, erin restore bundle [0-9A-Z]{8}/);
  await expect(drill.getByRole('table')).toContainText(pii);
  await expect(drill.getByRole('table')).toContainText('matches');
  await shot('escrow-drill');

  // The same three shares restore the keys into a new file.
  await wizard.getByLabel(/Or restore to a new file/).fill('restored-keys.json');
  await wizard.getByRole('button', { name: 'Restore to file' }).click();
  await expect(wizard.getByTestId('escrow-restored').getByRole('status')).toContainText('every key matched its fingerprint');
  const restoredFile = join(served.workspace, 'restored-keys.json');
  expect(statSync(restoredFile).mode & 0o777).toBe(0o600);
  const restored = JSON.parse(readFileSync(restoredFile, 'utf8')) as { keys: { value: string }[] };
  expect(restored.keys.map((k) => k.value)).toEqual(values);

  // No share (nor any of its printed lines) and no value is in the page or what the server printed.
  const seen = `${await page.content()}\n${served.stderr()}`;
  for (const share of shares) for (const line of share.split('\n')) expect(seen).not.toContain(line.trim().slice(3));
  for (const value of values) expect(seen).not.toContain(value);
});
