// Web project: a secret leaves keyturn serve for the page only with the code printed on its terminal. A script in the
// page that calls the API itself gets a challenge, never a value, and cannot guess its way through.
import { expect, test } from './fixtures/keyturn-test.js';
import { nav } from './flows/key-lifecycle.js';
import { terminalCodeConfirm, terminalCodes } from './flows/release-confirm.js';

interface Answer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; details?: { challenge: string; subject: string } };
}

test('a script in the page calling reveal, copy or export directly gets no value', async ({ page, ownServed: served, keyring }) => {
  await page.goto(served.url);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const before = terminalCodes(served.stderr()).length;
  const answers = await page.evaluate(async () => {
    // What injected script could do: it has the page's token and origin.
    const token = sessionStorage.getItem('keyturn.session');
    const call = async (channel: string, body: unknown): Promise<Answer> =>
      (
        await fetch(`/ipc/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        })
      ).json();
    const draftId = ((await call('generateKey', { kind: 'fernet' })).value as { draftId: string }).draftId;
    await call('storeDraft', { draftId, name: 'e2e-scripted' });
    const asked = [
      await call('revealKey', { name: 'e2e-scripted' }),
      await call('copyKey', { name: 'e2e-scripted' }),
      await call('copyDraft', { draftId }),
      await call('exportDraft', { draftId, format: 'env' }),
    ];
    // One guess per challenge: each is used up by it, right or wrong.
    const guesses = [];
    const payloads: [string, Record<string, unknown>][] = [
      ['revealKey', { name: 'e2e-scripted' }],
      ['copyKey', { name: 'e2e-scripted' }],
      ['copyDraft', { draftId }],
      ['exportDraft', { draftId, format: 'env' }],
    ];
    for (const [i, [channel, payload]] of payloads.entries()) {
      const challenge = asked[i]!.error!.details!.challenge;
      guesses.push(await call(channel, { ...payload, confirmation: { challenge, code: String(12345678 + i) } }));
      guesses.push(await call(channel, { ...payload, confirmation: { challenge, code: String(12345678 + i) } }));
    }
    return { asked, guesses };
  });
  const stored = await keyring.lookup('e2e-scripted@v1');
  expect(stored).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  expect(JSON.stringify(answers)).not.toContain(stored!);
  expect(answers.asked.map((a) => [a.ok, a.error?.code])).toEqual(Array(4).fill([false, 'confirmation-required']));
  expect(answers.asked.map((a) => a.error!.details!.subject)).toEqual([
    'show e2e-scripted v1',
    'copy e2e-scripted v1',
    'copy the unsaved fernet key',
    'export the unsaved fernet key as env',
  ]);
  expect(answers.guesses.map((a) => a.error?.code)).toEqual(Array(8).fill('refused'));
  // Each code went to the terminal only: it is in no answer the page got.
  await expect.poll(() => terminalCodes(served.stderr()).length).toBe(before + 4);
  for (const code of terminalCodes(served.stderr())) expect(JSON.stringify(answers)).not.toContain(code.replace(' ', ''));

  // The same reveal through the UI, with the code the terminal shows, works; a cancelled dialog reveals nothing.
  const confirm = terminalCodeConfirm(served);
  await nav(page, 'Keys').click();
  const card = page.getByTestId('key-e2e-scripted');
  await card.getByRole('button', { name: 'Reveal e2e-scripted v1' }).click();
  await confirm.cancel(page);
  await expect(card.getByRole('alert')).toContainText('nothing was let out');
  await expect(card.getByTestId('secret-value')).toHaveCount(0);
  await card.getByRole('button', { name: 'Reveal e2e-scripted v1' }).click();
  await confirm(page);
  await expect(card.getByTestId('secret-value').locator('textarea')).toHaveValue(stored!);
  await nav(page, 'Audit').click();
  // Only the one confirmed reveal reached the keychain.
  await expect(
    page
      .getByTestId('audit-table')
      .locator('tr', { hasText: 'e2e-scripted' })
      .filter({ hasText: /reveal|copy/ }),
  ).toHaveCount(1);
});
