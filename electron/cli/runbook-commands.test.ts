// Every `keyturn` command a rotation runbook tells people to type must be one this CLI accepts: its subcommand exists
// and each of its options is one that subcommand declares. The golden runbooks cover every kind of plan.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { Command } from 'commander';
import { createProgram } from './program.js';

const GOLDEN = resolve(import.meta.dirname, '..', '..', 'shared', 'rotation', 'golden');

/** The words of one command line, quotes removed; stops at a redirection or pipe. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] && /^(?:>|>>|\||&&|;|2>)/.test(word)) break;
    out.push(word);
  }
  return out;
}

function problemsOf(program: Command, argv: string[]): string[] {
  let command = program;
  let i = 0;
  while (i < argv.length && !argv[i]!.startsWith('-')) {
    const sub = command.commands.find((c) => c.name() === argv[i] || c.aliases().includes(argv[i]!));
    if (!sub) break;
    command = sub;
    i += 1;
  }
  if (command === program) return [`no command "${argv[0]}"`];
  // A group with a default subcommand (`keyturn push KEY` is `keyturn push keys KEY`) runs that one.
  const defaultName = (command as unknown as { _defaultCommandName?: string })._defaultCommandName;
  if (defaultName) command = command.commands.find((c) => c.name() === defaultName)!;
  if (command.commands.length > 0 && !command.commands.some((c) => c.name() === 'help')) return [`"${command.name()}" needs a subcommand`];
  const known = new Set(command.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[]));
  return argv
    .slice(i)
    .filter((w) => w.startsWith('--'))
    .map((w) => w.split('=')[0]!)
    .filter((flag) => !known.has(flag))
    .map((flag) => `"${command.name()}" has no option ${flag}`);
}

test('every keyturn command in the golden runbooks names a real subcommand and real options', () => {
  const program = createProgram({ setExitCode: () => undefined });
  const lines = new Set<string>();
  for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.md'))) {
    for (const line of readFileSync(join(GOLDEN, file), 'utf8').split('\n')) if (line.startsWith('keyturn ')) lines.add(line);
  }
  assert.ok(lines.size >= 20, `the runbooks hold ${lines.size} keyturn commands`);
  const wrong = [...lines].flatMap((line) => problemsOf(program, words(line).slice(1)).map((p) => `${line}\n  -> ${p}`));
  assert.deepEqual(wrong, []);
});

test("every keyturn command in the README's examples names a real subcommand and real options", () => {
  const program = createProgram({ setExitCode: () => undefined });
  const readme = readFileSync(resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.startsWith('keyturn ') && !l.startsWith('keyturn --'));
  assert.ok(lines.length >= 40, `the README shows ${lines.length} keyturn commands`);
  const wrong = lines.flatMap((line) => problemsOf(program, words(line.replace(/#.*$/, '')).slice(1)).map((p) => `${line}\n  -> ${p}`));
  assert.deepEqual(wrong, []);
});
