// Web project: push through the UI in Chromium against `keyturn serve`, with the real SDKs talking to the loopback
// AWS Secrets Manager (SigV4 checked) and Azure Key Vault (HTTPS, bearer challenge, authority host). Targets are added
// and tested, a key is pushed after its plan, its status shows on the Keys screen, drift is seen, offline mode refuses.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSecretsServer } from '../test/support/aws-secrets-server.js';
import { AzureTestCloud } from '../test/support/azure-test-cloud.js';
import { awsTestEnv, azureTestEnv } from '../test/support/cloud-env.js';
import { LOOPBACK_GUARD_IMPORT } from '../test/support/loopback-guard.js';
import { secretVariants } from '../test/support/secret-scan.js';
import { generateAndStore, nav } from './flows/key-lifecycle.js';
import { startKeyturnServe } from './fixtures/keyturn-serve.js';
import { expect, test } from './fixtures/keyturn-test.js';

test('add and test targets, push a key after its plan, see its status and its drift, and stay offline when asked', async ({
  page,
  keyring,
  shot,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-e2e-push-'));
  const aws = await new AwsSecretsServer({ region: 'eu-west-1' }).start();
  const azure = await new AzureTestCloud().start();
  const netLog = join(dir, 'net.log');
  const served = await startKeyturnServe({
    ...keyring.session.env,
    ...awsTestEnv(dir),
    ...azureTestEnv(dir, azure.authorityHost),
    NODE_OPTIONS: LOOPBACK_GUARD_IMPORT,
    KEYTURN_TEST_NET_LOG: netLog,
  });
  try {
    // The CA file must be under the folder the page may name.
    copyFileSync(azure.tls.certPath, join(served.workspace, 'vault-ca.pem'));
    await page.goto(served.url);
    await generateAndStore(page, { kind: 'fernet', name: 'PII_ENC_KEY', envVar: 'PII_ENC_KEY' });

    await nav(page, 'Targets').click();
    const main = page.getByRole('main');
    const form = main.getByRole('form', { name: 'Add a target' });
    await form.getByLabel('Name').fill('local');
    await form.getByLabel('Region').fill('eu-west-1');
    await form.getByLabel('Endpoint URL (optional)').fill(aws.url);
    await form.getByRole('button', { name: 'Add target' }).click();
    await expect(page.getByTestId('target-local')).toBeVisible();
    await form.getByLabel('Service').selectOption('azure');
    await form.getByLabel('Name').fill('kv');
    await form.getByLabel('Vault URL').fill(azure.vaultUrl);
    await form.getByLabel('Credential').selectOption('environment');
    await form.getByLabel('CA file (optional)').fill(join(served.workspace, 'vault-ca.pem'));
    await form.getByLabel(/custom domain/).check();
    await form.getByRole('button', { name: 'Add target' }).click();
    await expect(page.getByTestId('target-kv')).toBeVisible();
    await page.getByTestId('target-local').getByRole('button', { name: 'Test' }).click();
    await expect(page.getByTestId('target-test-local')).toContainText('reachable, authenticated as access key ...0001');
    await page.getByTestId('target-kv').getByRole('button', { name: 'Test' }).click();
    await expect(page.getByTestId('target-test-kv')).toContainText(/reachable, authenticated as app [0-9a-f-]+/);
    await shot('targets');

    await nav(page, 'Keys').click();
    const card = page.getByTestId('key-PII_ENC_KEY');
    await expect(page.getByTestId('push-status-PII_ENC_KEY')).toHaveText('not pushed');
    await card.getByRole('button', { name: 'Push to…' }).click();
    const panel = page.getByTestId('push-panel-PII_ENC_KEY');
    await panel.getByLabel('Target').selectOption('local');
    await panel.getByRole('button', { name: 'Show plan' }).click();
    await expect(panel.getByTestId('plan-PII_ENC_KEY')).toContainText('create');
    await expect(panel.getByTestId('plan-PII_ENC_KEY')).toContainText(/PII_ENC_KEY v1: new \(sha256:/);
    expect(aws.secret('PII_ENC_KEY'), 'a plan writes nothing').toBeUndefined();
    await shot('push-plan');
    await panel.getByRole('button', { name: 'Push 1 secret' }).click();
    await expect(panel.getByTestId('job-progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    const remote = aws.secret('PII_ENC_KEY')!;
    const versionId = [...remote.versions.keys()][0]!;
    await expect(panel.getByTestId('version-PII_ENC_KEY')).toHaveText(versionId);
    await expect(panel.getByTestId('result-PII_ENC_KEY')).toContainText('written');
    await expect(page.getByTestId('push-status-PII_ENC_KEY')).toHaveAttribute('data-state', 'in-sync');
    await shot('push-result');

    // The same key to Azure: the name is mapped, and the plan says so.
    await panel.getByRole('button', { name: 'Push again…' }).click();
    await panel.getByLabel('Target').selectOption('kv');
    await expect(panel).toContainText('PII_ENC_KEY goes to pii-enc-key');
    await panel.getByRole('button', { name: 'Show plan' }).click();
    await expect(panel.getByTestId('plan-pii-enc-key')).toContainText('name mapped from PII_ENC_KEY');
    await panel.getByRole('button', { name: 'Push 1 secret' }).click();
    await expect(panel.getByTestId('job-progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(panel.getByTestId('version-pii-enc-key')).toHaveText(azure.latest('pii-enc-key')!.id);

    // Someone changes the AWS secret in the console: the Keys screen shows the drift.
    aws.putOutside('PII_ENC_KEY', 'changed-in-the-console');
    await main.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByTestId('push-status-PII_ENC_KEY')).toHaveAttribute('data-state', 'drift');
    await expect(page.getByTestId('push-status-PII_ENC_KEY')).toContainText('remote-changed at local:PII_ENC_KEY');
    await shot('push-drift');

    // Offline mode: a test is refused before any connection.
    await nav(page, 'Targets').click();
    await main.getByRole('checkbox', { name: /Offline mode/ }).check();
    await expect(main).toContainText("Offline: the app's offline switch is on.");
    const connections = aws.connections;
    await page.getByTestId('target-local').getByRole('button', { name: 'Test' }).click();
    await expect(page.getByTestId('target-test-local')).toContainText('offline mode');
    expect(aws.connections).toBe(connections);
    await main.getByRole('checkbox', { name: /Offline mode/ }).uncheck();

    const value = [...remote.versions.values()][0]!.value;
    const shown = (await page.content()) + served.stderr();
    expect(
      secretVariants(value).filter((v) => shown.includes(v)),
      'the pushed value is never on the page or in the log',
    ).toEqual([]);
    expect(existsSync(netLog) ? readFileSync(netLog, 'utf8') : '', 'keyturn serve reached nothing beyond 127.0.0.1').toBe('');
  } finally {
    await served.stop();
    await aws.stop();
    await azure.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
