// Commands not built yet point to the README instead of "unknown command"; the README's "Not built yet" list and
// package.json's description follow the one NOT_BUILT list, and a command that lands must leave that list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../test/support/run-cli.js';
import { NOT_BUILT } from './not-built.js';
import { createProgram } from './program.js';

const REPO = resolve(import.meta.dirname, '..', '..');

test('a command not built yet says so and points to the README list (exit 2, one line), in text and JSON', async (t) => {
  if (NOT_BUILT.length === 0) return t.skip('every announced command has landed');
  for (const entry of NOT_BUILT) {
    const r = await runCli([entry.command, 'something', '--to', 'somewhere', '--yes']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `keyturn: "${entry.command}" is not built yet (${entry.what}); see "Not built yet" in Keyturn's README.md for what exists today. [usage]\n`,
    );
  }
  const json = await runCli([NOT_BUILT[0]!.command, '--json']);
  assert.equal(json.code, 2);
  assert.match(
    (JSON.parse(json.stdout) as { error: { message: string } }).error.message,
    new RegExp(`^"${NOT_BUILT[0]!.command}" is not built yet`),
  );
  const unknown = await runCli(['pusj']);
  assert.equal(unknown.code, 2, 'a typo stays an unknown command');
  assert.match(unknown.stderr, /unknown command 'pusj'/);
});

test('the README lists exactly what NOT_BUILT lists, and package.json claims none of it', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = /^Not built yet[^\n]*\n((?:- [^\n]*\n)+)/m.exec(readme)?.[1];
  assert.ok(section, 'the README has a "Not built yet" list');
  const lines = section.trim().split('\n');
  assert.deepEqual(
    lines.map((l) => NOT_BUILT.find((e) => l.startsWith(`- ${e.what}`))?.command ?? `unlisted: ${l}`),
    NOT_BUILT.map((e) => e.command),
  );
  const description = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { description: string }).description;
  for (const e of NOT_BUILT) assert.doesNotMatch(description, e.claim, `package.json's description claims ${e.command}`);
});

test('a command that has landed is no longer in NOT_BUILT (remove its entry and its README line)', () => {
  const program = createProgram({ setExitCode: () => undefined });
  const real = program.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden).map((c) => c.name());
  assert.deepEqual(
    NOT_BUILT.filter((e) => real.includes(e.command)).map((e) => e.command),
    [],
  );
});
