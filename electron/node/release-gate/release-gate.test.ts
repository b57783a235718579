// The two release gates on their own: codes are single-use, bound to one release, short-lived and rate-limited;
// the asking gate asks once per release and never stacks questions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { ReleaseChallenge } from '../../../shared/domain/release.js';
import { createAskingGate } from './asking-gate.js';
import type { ReleaseRequest } from './release-gate.js';
import { createTerminalCodeGate } from './terminal-code-gate.js';

const reveal: ReleaseRequest = { action: 'reveal', subject: 'api-key v3', target: 'key:api-key@v3' };

async function challengeOf(promise: Promise<void>): Promise<ReleaseChallenge> {
  const error = await promise.then(
    () => assert.fail('let out without a code'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof KeyturnError && error.code === 'confirmation-required');
  return error.details as unknown as ReleaseChallenge;
}

test('a terminal code is printed, never returned, works once, only for its release and only before it expires', async () => {
  const lines: string[] = [];
  let now = 0;
  const gate = createTerminalCodeGate({ announce: (l) => lines.push(l), now: () => now, ttlMs: 60_000 });
  const code = () => /type (\d{4} \d{4})/.exec(lines.at(-1)!)![1]!;

  const first = await challengeOf(gate.confirm(reveal, undefined));
  assert.deepEqual([first.via, first.subject, first.expiresInMs], ['terminal-code', 'show api-key v3', 60_000]);
  assert.ok(!JSON.stringify(first).includes(code().replace(' ', '')));
  await gate.confirm(reveal, { challenge: first.challenge, code: code().replace(' ', '-') });
  await assert.rejects(gate.confirm(reveal, { challenge: first.challenge, code: code() }), { code: 'refused', message: /already used/ });

  const other = await challengeOf(gate.confirm({ ...reveal, target: 'key:api-key@v2' }, undefined));
  await assert.rejects(gate.confirm(reveal, { challenge: other.challenge, code: code() }), { code: 'refused', message: /something else/ });

  const late = await challengeOf(gate.confirm(reveal, undefined));
  now += 60_001;
  await assert.rejects(gate.confirm(reveal, { challenge: late.challenge, code: code() }), { code: 'refused', message: /expired/ });

  const wrong = await challengeOf(gate.confirm(reveal, undefined));
  const right = code();
  await assert.rejects(gate.confirm(reveal, { challenge: wrong.challenge, code: 'ten digits' }), { code: 'refused' });
  await assert.rejects(gate.confirm(reveal, { challenge: wrong.challenge, code: right }), { code: 'refused' }, 'one attempt per code');
});

test('codes are rate-limited, so a script cannot ask for codes until it guesses one', async () => {
  let now = 0;
  const gate = createTerminalCodeGate({ announce: () => undefined, now: () => now });
  for (let i = 0; i < 4; i += 1) await challengeOf(gate.confirm(reveal, undefined));
  await assert.rejects(gate.confirm(reveal, undefined), { code: 'refused', message: /Too many/ });
  now += 121_000; // the open ones expired
  for (let i = 0; i < 4; i += 1) await challengeOf(gate.confirm(reveal, undefined));
});

test('the asking gate asks once per release, one question at a time, and a "no" lets nothing out', async () => {
  const asked: ReleaseRequest[] = [];
  let release: ((yes: boolean) => void) | undefined;
  const gate = createAskingGate(
    (request) =>
      new Promise<boolean>((resolve) => {
        asked.push(request);
        release = resolve;
      }),
  );
  const pending = gate.confirm(reveal, undefined);
  await assert.rejects(gate.confirm(reveal, undefined), { code: 'refused', message: /already open/ });
  release!(true);
  await pending;
  const declined = gate.confirm({ ...reveal, action: 'copy' }, undefined);
  release!(false);
  await assert.rejects(declined, { code: 'refused', message: /declined to copy api-key v3/ });
  assert.deepEqual(
    asked.map((r) => r.action),
    ['reveal', 'copy'],
  );
});
