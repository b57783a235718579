// Deadlines and cancellation end a wait that never finishes, with the code of what was waited on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEYCHAIN_DEADLINE_ERRORS } from '../keychain/keychain-errors.js';
import { abortable, deadline, sleep } from './deadline.js';

const never = (): Promise<never> => new Promise<never>(() => undefined);

test('a wait that never ends fails with the generic timeout code when the deadline passes', async () => {
  const d = deadline(50);
  await assert.rejects(abortable(never(), d.signal), { code: 'timeout', message: /within 0.1 s/ });
  d.dispose();
});

test("the caller's abort ends it with the generic cancelled code, never a keychain code", async () => {
  const controller = new AbortController();
  const d = deadline(60_000, controller.signal);
  const pending = abortable(never(), d.signal);
  controller.abort();
  await assert.rejects(pending, (error: { code: string }) => error.code === 'cancelled');
  d.dispose();
});

test('keychain waits name the keychain: keychain-timeout and keychain-cancelled', async () => {
  const d = deadline(50, undefined, KEYCHAIN_DEADLINE_ERRORS);
  await assert.rejects(abortable(never(), d.signal), { code: 'keychain-timeout', message: /did not answer within/ });
  d.dispose();
  const controller = new AbortController();
  const c = deadline(60_000, controller.signal, KEYCHAIN_DEADLINE_ERRORS);
  const pending = abortable(never(), c.signal);
  controller.abort();
  await assert.rejects(pending, { code: 'keychain-cancelled' });
  c.dispose();
});

test('an already-aborted caller signal cancels before the call starts', async () => {
  const d = deadline(60_000, AbortSignal.abort());
  await assert.rejects(abortable(Promise.resolve(1), d.signal), { code: 'cancelled' });
  d.dispose();
});

test('a call that answers in time passes its value through', async () => {
  const d = deadline(60_000);
  assert.equal(await abortable(Promise.resolve('v'), d.signal), 'v');
  d.dispose();
});

test('sleep ends early with the reason of an abort', async () => {
  const controller = new AbortController();
  const pending = sleep(60_000, controller.signal);
  controller.abort();
  await assert.rejects(pending, { code: 'cancelled' });
});
