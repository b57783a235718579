// Web project: the Re-encrypt screen on a SQLite database named by a .env file in the served workspace, with the key's
// two versions (written by Python's cryptography) in the keychain: scan, dry run, run, verify, retire the old version.
// Python judges the table afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonJudge, pythonKey } from '../test/support/fernet-oracle.js';
import { seedUsers, sqliteClient } from '../test/support/reencrypt-fixture.js';
import { runCli } from '../test/support/run-cli.js';
import { nav } from './flows/key-lifecycle.js';
import { expect, test } from './fixtures/keyturn-test.js';

test('scan, dry run, re-encrypt, verify and retire the old version from the Re-encrypt screen', async ({ page, served, keyring, shot }) => {
  test.setTimeout(180_000);
  const keys = { old: await pythonKey(), new: await pythonKey(), stranger: await pythonKey() };
  // The keyring and the served workspace are shared by the tests of this worker: a folder and a key name of our own.
  const folder = join(served.workspace, 'reencrypt');
  mkdirSync(folder, { recursive: true });
  const envFile = join(folder, '.env');
  const KEY = 'resumerag-pii-key';
  writeFileSync(envFile, `DATABASE_URL=sqlite:///resumerag.db\nPII_V1=${keys.old}\nPII_V2=${keys.new}\n`, { mode: 0o600 });
  for (const [variable, extra] of [
    ['PII_V1', []],
    ['PII_V2', ['--add-version']],
  ] as const) {
    const r = await runCli(['keys', 'import', KEY, '--from-env', envFile, '--var', variable, '--kind', 'fernet', ...extra], {
      env: keyring.session.env,
    });
    expect(r.code, r.stderr).toBe(0);
  }
  // Only the database URL stays in the .env file the page names.
  writeFileSync(envFile, 'DATABASE_URL=sqlite:///resumerag.db\n', { mode: 0o600 });
  const db = await sqliteClient(join(folder, 'resumerag.db'));
  // Poison-free rows, so the run ends with every token under the new key.
  const seeded = (await seedUsers(db, 'users', 300, keys)).filter((r) => r.email.kind !== 'poison' && r.ssn.kind !== 'poison');
  await db.exec(`DELETE FROM users WHERE id NOT IN (${seeded.map((r) => r.id).join(', ')})`);

  await page.goto(served.url);
  await nav(page, 'Re-encrypt').click();
  const main = page.getByRole('main');
  await main.getByLabel('.env file with the database URL').fill(envFile);
  await main.getByLabel(/Fernet key/).selectOption(KEY);
  await main.getByRole('button', { name: 'Scan' }).click();
  const scan = page.getByTestId('reencrypt-scan');
  const olds = seeded.filter((r) => r.email.kind === 'old').length;
  await expect(scan.locator('tr[data-column="email"]')).toContainText(`${KEY}@v1: ${olds}`);
  await expect(main.getByLabel('Token columns, comma-separated')).toHaveValue('email, ssn');
  await shot('reencrypt-scan');

  await main.getByRole('button', { name: 'Dry run' }).click();
  await expect(page.getByTestId('reencrypt-result')).toContainText('Dry run, nothing written');

  await main.getByRole('button', { name: 'Re-encrypt' }).click();
  await expect(page.getByTestId('reencrypt-result')).toContainText(`Re-encrypted: ${KEY}@v1 → ${KEY}@v2`, { timeout: 60_000 });
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-state', 'done');

  await main.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('reencrypt-verify')).toContainText('Every token opens under the new key alone');
  await shot('reencrypt-verify');
  await main.getByRole('button', { name: `Retire ${KEY}@v1` }).click();
  await expect(main.getByText(`Retired ${KEY}@v1`)).toBeVisible();
  expect(await keyring.lookup(`${KEY}@v1`)).toBeNull();

  const rows = await db.rows('SELECT email, ssn FROM users ORDER BY id');
  await db.close();
  const tokens = rows.flatMap((r) => r.map((c) => (c === null ? null : Buffer.isBuffer(c) ? c.toString('latin1') : String(c))));
  const judged = await pythonJudge(
    keys.new,
    keys.old,
    tokens.map((t) => (t === '' ? null : t)),
  );
  for (const j of judged) if (j) expect(j.underNew !== null && !j.underOld).toBe(true);
  expect(served.stderr()).not.toContain(keys.old);
});
