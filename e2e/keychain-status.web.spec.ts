// Web project: the keychain indicator tells a locked keyring from a missing one, each with what to do.
import { test as base, expect } from '@playwright/test';
import { KEYCHAIN_SENTENCES } from '../electron/node/keychain/keychain-errors.js';
import { startSecretService, type SecretServiceScenario } from '../test/support/secret-service.js';
import { startKeyturnServe } from './fixtures/keyturn-serve.js';

const cases: { scenario: SecretServiceScenario; state: string; label: string; help: string }[] = [
  { scenario: 'locked', state: 'locked', label: 'Keychain locked', help: KEYCHAIN_SENTENCES['keychain-locked'] },
  { scenario: 'no-provider', state: 'unavailable', label: 'Keychain unavailable', help: KEYCHAIN_SENTENCES['keychain-no-provider'] },
];

for (const c of cases) {
  base(`the indicator says "${c.label}" for a ${c.scenario} Secret Service`, async ({ page }) => {
    const session = await startSecretService({ scenario: c.scenario });
    const served = await startKeyturnServe(session.env);
    try {
      await page.goto(served.url);
      const indicator = page.getByLabel('Keychain status');
      await expect(indicator).toHaveAttribute('data-state', c.state);
      await expect(indicator).toContainText(c.label);
      // The sentence is the one for this failure, saying what to do, not just that something failed.
      await expect(indicator.locator('.keychain-help')).toHaveText(c.help);
    } finally {
      await served.stop();
      await session.stop();
    }
  });
}
