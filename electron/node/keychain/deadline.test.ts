// Deadlines and cancellation end a keychain call that never answers, with the right code each time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortable, deadline } from './deadline.js';

const never = (): Promise<never> => new Promise<never>(() => undefined);

test('a call that never answers ends with keychain-timeout when the deadline passes', async () => {
  const d = deadline(50);
  await assert.rejects(abortable(never(), d.signal), { code: 'keychain-timeout', message: /did not answer within/ });
  d.dispose();
});

test("the caller's abort ends it with keychain-cancelled", async () => {
  const controller = new AbortController();
  const d = deadline(60_000, controller.signal);
  const pending = abortable(never(), d.signal);
  controller.abort();
  await assert.rejects(pending, { code: 'keychain-cancelled' });
  d.dispose();
});

test('an already-aborted caller signal cancels before the call starts', async () => {
  const d = deadline(60_000, AbortSignal.abort());
  await assert.rejects(abortable(Promise.resolve(1), d.signal), { code: 'keychain-cancelled' });
  d.dispose();
});

test('a call that answers in time passes its value through', async () => {
  const d = deadline(60_000);
  assert.equal(await abortable(Promise.resolve('v'), d.signal), 'v');
  d.dispose();
});
