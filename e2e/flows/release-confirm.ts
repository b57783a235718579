// Confirming a reveal, copy or export in the browser as a person does: read the code keyturn serve printed on its
// terminal (its stderr here) and type it into the page's dialog.
import { expect, type Page } from '@playwright/test';
import type { ServedApp } from '../fixtures/keyturn-serve.js';

const CODE = /type (\d{4} \d{4}) in the page/g;

export function terminalCodes(text: string): string[] {
  return [...text.matchAll(CODE)].map((m) => m[1]!);
}

export interface TerminalConfirm {
  (page: Page): Promise<void>;
  /** Waits for the dialog and its code, then cancels it. */
  cancel(page: Page): Promise<void>;
}

/** A confirm step for one served app: each call waits for a code printed after the ones it has already seen. */
export function terminalCodeConfirm(served: ServedApp): TerminalConfirm {
  const seen = new Set(terminalCodes(served.stderr()));
  const next = async (page: Page) => {
    const dialog = page.getByTestId('release-code-dialog');
    await expect(dialog).toBeVisible();
    let code = '';
    await expect
      .poll(() => {
        code = terminalCodes(served.stderr()).at(-1) ?? '';
        return code !== '' && !seen.has(code);
      })
      .toBe(true);
    seen.add(code);
    return { dialog, code };
  };
  const confirm = async (page: Page) => {
    const { dialog, code } = await next(page);
    await dialog.getByLabel('Code from the terminal').fill(code);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog).toHaveCount(0);
  };
  confirm.cancel = async (page: Page) => {
    const { dialog } = await next(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
  };
  return confirm;
}
