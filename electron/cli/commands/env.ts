// `keyturn env check | fix | profiles`: the .env checker on the command line (text, JSON or SARIF; never a value).
import { APP_VERSION } from '../../../shared/domain/app-version.js';
import type { Command } from 'commander';
import { renderSarif } from '../../../shared/envcheck/render-sarif.js';
import { renderText } from '../../../shared/envcheck/render-text.js';
import type { EnvFixResult, EnvReport } from '../../../shared/envcheck/report.js';
import type { EnvProfile } from '../../../shared/envcheck/types.js';
import { defineCommand, type CliContext } from '../command.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { collect, parseChoice, str, withAddVersionHint } from '../options.js';
import { runJobHere } from '../job-output.js';
import { EXIT_FAILED, EXIT_OK, writeJson } from '../output.js';
import { createProgressLine, progressMode } from '../progress-line.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(opts: Record<string, unknown>): Format {
  return opts.json === true ? 'json' : (parseChoice(opts.format, '--format', FORMATS) ?? 'text');
}

function useColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return (stream as NodeJS.WriteStream).isTTY === true;
}

export function formatProfiles(profiles: EnvProfile[]): string {
  const lines: string[] = [];
  for (const p of profiles) {
    lines.push(`${p.id}: ${p.title}`, `  ${p.summary}`, `  source: ${p.source.title} (seeds/${p.source.seed})`);
    for (const v of p.variables) {
      const extra = [
        v.required ? 'required' : 'optional',
        v.type,
        v.default !== undefined ? `default ${v.default}` : '',
        v.schemes ? `schemes ${v.schemes.join('|')}` : '',
        v.min !== undefined ? `min ${v.min}` : '',
        v.max !== undefined ? `max ${v.max}` : '',
      ]
        .filter((x) => x !== '')
        .join(', ');
      lines.push(`    ${v.name.padEnd(26)} ${extra}  [${v.section}]`);
    }
    for (const pat of p.patterns)
      lines.push(`    ${pat.label.padEnd(26)} ${pat.required ? 'required' : 'optional'}, ${pat.type}  [${pat.section}]`);
    if (p.checklist.length > 0) lines.push('  checklist:');
    for (const c of p.checklist)
      lines.push(
        `    - ${c.item}: ${c.checkedBy.length > 0 ? `checked by ${c.checkedBy.join(', ')}` : 'not a file check'}${c.note ? ` (${c.note})` : ''}`,
      );
    for (const n of p.notes) lines.push(`  note: ${n}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

export function formatFixResult(r: EnvFixResult): string {
  const lines: string[] = [];
  const changes = [...r.added, ...r.regenerated];
  if (!r.changed) lines.push(`${r.file}: nothing to add or regenerate.`);
  else {
    const verb = r.dryRun ? 'Would change' : r.created ? 'Created' : 'Updated';
    lines.push(`${verb} ${r.file}${r.backup ? ` (original kept in ${r.backup})` : ''}:`);
    for (const c of changes) {
      const what = c.kind === 'default' ? 'documented default' : `new ${c.kind} value`;
      lines.push(`  ${c.how.padEnd(9)} ${c.variable} (${what}, line ${c.line})`);
    }
  }
  for (const s of r.stored) lines.push(`  stored   ${s.variable} in the keychain as ${s.name}${s.version ? `@v${s.version}` : ''}`);
  if (r.created && !r.dryRun && r.changed) lines.push(`  ${r.file} is readable by you only (mode 600): it holds secrets.`);
  if (r.permissions)
    lines.push(`  ${r.file} now holds a fresh secret, so it is readable by you only: mode ${r.permissions.from} -> ${r.permissions.to}.`);
  if (r.unfilled.length > 0) lines.push('Still to do by hand:');
  for (const u of r.unfilled) lines.push(`  ${u.reason}`);
  return `${lines.join('\n')}\n`;
}

export function registerEnvCommand(program: Command, cli: CliContext): void {
  const env = program
    .command('env')
    .description('Check .env files against the migration guides, your schema and .env.example; fill what is missing.');

  defineCommand(env, cli, {
    name: 'check',
    description: 'Check .env files and folders (searched for .env* recursively, skipping node_modules and .git). Exit 1 on errors.',
    arguments: [['<paths...>', '.env files or folders']],
    options: [
      ['--profile <id>', 'a built-in profile (see `keyturn env profiles`)'],
      ['--schema <file>', 'a keyturn-env.json schema file'],
      ['--example <file>', 'the .env.example to compare with (default: one beside each file)'],
      ['--format <format>', 'text, json or sarif', 'text'],
      ['--strict', 'exit 1 on warnings too'],
      ['--verbose', 'also say which values are the current version of a stored key ("matches NAME vN")'],
      ['--allow-empty', 'exit 0 when no .env file is found (by default that fails, so CI never passes on nothing)'],
      ['--shell', 'also check the `export NAME=value` lines of shell scripts (*.sh) found in folders'],
      ['--job', 'run as a resumable job (for large trees): Ctrl+C pauses it, `keyturn jobs resume ID` continues it'],
      ['--progress', 'print progress lines even when stderr is not a terminal'],
      ['--no-progress', 'no progress line'],
    ],
    json: true,
    async run({ services, io, opts, args }) {
      const format = formatOf(opts);
      io.json = format === 'json';
      const input: Parameters<typeof services.envcheck.check>[0] = { paths: args, strict: opts.strict === true };
      if (opts.allowEmpty === true) input.allowEmpty = true;
      if (opts.shell === true) input.shell = true;
      if (opts.verbose === true) input.verbose = true;
      const profile = str(opts.profile);
      const schemaFile = str(opts.schema);
      const example = str(opts.example);
      if (profile !== undefined) input.profile = profile;
      if (schemaFile !== undefined) input.schemaFile = schemaFile;
      if (example !== undefined) input.example = example;
      const line = createProgressLine(io.stderr, progressMode(opts));
      let report: EnvReport;
      if (opts.job === true) {
        const job = await runJobHere(io, line, 'checking', (o) => services.jobs.run('envcheck', input, o));
        if (!job) return EXIT_FAILED;
        report = job.result as EnvReport;
      } else {
        report = await services.envcheck.check(input, { onProgress: (p) => line.update(p) });
        line.end();
      }
      if (format === 'json') writeJson(io, report);
      else if (format === 'sarif') writeJson(io, renderSarif(report, { toolVersion: APP_VERSION }));
      else io.stdout.write(renderText(report, { color: useColor(io.stdout) }));
      return report.failed ? EXIT_FAILED : EXIT_OK;
    },
  });

  defineCommand(env, cli, {
    name: 'profiles',
    description: 'List the built-in profiles with their variables, sources and checklist coverage.',
    json: true,
    async run({ services, io }) {
      const profiles = services.envcheck.profiles();
      if (io.json) writeJson(io, { profiles });
      else io.stdout.write(formatProfiles(profiles));
    },
  });

  defineCommand(env, cli, {
    name: 'fix',
    description:
      'Do what `env check` can fix: fill missing and empty secrets, replace placeholders, published and weak keys with fresh values; keeps comments, order and a numbered backup.',
    arguments: [['<file>', 'the .env file (created when missing)']],
    options: [
      ['--profile <id>', 'a built-in profile (see `keyturn env profiles`)'],
      ['--schema <file>', 'a keyturn-env.json schema file'],
      ['--regenerate <var>', 'replace this variable with a fresh value (repeatable)', collect],
      ['--store-prefix <prefix>', 'also store each generated value in the keychain as <prefix><var-name-in-kebab-case>'],
      ['--add-version', 'with --store-prefix: store under a name that exists as its new version (else such a name is refused)'],
      ['--with-defaults', 'also write optional variables that have a documented default'],
      ['--dry-run', 'show what would change without writing or generating anything'],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      const input: Parameters<typeof services.envcheck.fix>[0] = {
        file: args[0]!,
        dryRun: opts.dryRun === true,
        withDefaults: opts.withDefaults === true,
      };
      const profile = str(opts.profile);
      const schemaFile = str(opts.schema);
      const storePrefix = str(opts.storePrefix);
      if (profile !== undefined) input.profile = profile;
      if (schemaFile !== undefined) input.schemaFile = schemaFile;
      if (storePrefix !== undefined) input.storePrefix = storePrefix;
      if (Array.isArray(opts.regenerate)) input.regenerate = opts.regenerate.map(String);
      if (opts.addVersion === true) {
        if (storePrefix === undefined) throw new KeyturnError('usage', '--add-version goes with --store-prefix.');
        input.addVersion = true;
      }
      const result = await withAddVersionHint(services.envcheck.fix(input));
      if (io.json) writeJson(io, result);
      else io.stdout.write(formatFixResult(result));
    },
  });

  defineCommand(env, cli, {
    name: 'set <file> <variable>',
    description:
      'Write a stored key into a .env file (after `keys rotate`): atomically, with a numbered backup, readable by you only, audited.',
    options: [
      ['--from-key <NAME[@vN]>', 'the stored key (NAME: its current version); repeat it for a comma list, first to last', collect],
      ['--multi', 'with one --from-key NAME: write "current,retiring..." as a MultiFernet application reads it during an overlap'],
    ],
    json: true,
    keychain: true,
    examples: [
      '  keyturn env set .env PII_ENC_KEY --from-key pii-enc-key             the current version',
      '  keyturn env set .env PII_ENC_KEYS --from-key pii-enc-key --multi    new,old during the overlap',
    ].join('\n'),
    async run({ services, io, opts, args }) {
      const keys = Array.isArray(opts.fromKey) ? opts.fromKey.map(String) : [];
      const r = await services.envset.set({ file: args[0]!, variable: args[1]!, keys, multi: opts.multi === true });
      if (io.json) {
        writeJson(io, r);
        return;
      }
      const what = r.versions.map((v) => `${v.name}@v${v.version}`).join(',');
      const lines = [
        `${r.created ? 'Created' : 'Updated'} ${r.file}: ${r.how} ${r.variable} with ${what} (line ${r.line})${r.backup ? `; the previous file is kept as ${r.backup}` : ''}.`,
      ];
      if (r.created) lines.push(`  ${r.file} is readable by you only (mode 600): it holds a secret.`);
      if (r.permissions)
        lines.push(`  ${r.file} now holds a secret, so it is readable by you only: mode ${r.permissions.from} -> ${r.permissions.to}.`);
      io.stdout.write(`${lines.join('\n')}\n`);
    },
  });
}
