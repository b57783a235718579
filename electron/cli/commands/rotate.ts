// `keyturn rotate due|plan|status|run-step|done|export`: what is due, a plan written from what Keyturn knows, and the
// plan followed step by step (Keyturn runs what it can after confirmation; the user ticks off the rest with a note).
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { getProfile } from '../../../shared/envcheck/profiles.js';
import { dueCalendar } from '../../../shared/rotation/ics.js';
import type { DbTable } from '../../../shared/rotation/types.js';
import { writeFileAtomic } from '../../node/files/atomic-write.js';
import type { PlanRequest, RenderFormat, StepView } from '../../node/services/rotation-service.js';
import { defineCommand, type CliContext } from '../command.js';
import { untilInterrupted } from '../interrupt.js';
import { collect, parseChoice, parseCount, str } from '../options.js';
import { EXIT_FAILED, EXIT_OK, writeJson, type CliIo } from '../output.js';
import { createProgressLine, progressMode } from '../progress-line.js';
import { describeStepState, formatDue, formatPlanList, formatPlanStatus, formatStepForConfirmation, nextCommand } from './rotate-format.js';

const FORMATS = ['md', 'json'] as const;
const PLAN_ARG: [string, string] = ['<plan>', 'the plan id (see `keyturn rotate status`)'];
const STEP_ARG: [string, string] = ['<n>', 'the step number'];

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** `--table users --columns email,phone --pk id --table orders --columns address`: tables and their columns, in order. */
function tablesFrom(opts: Record<string, unknown>): DbTable[] {
  const tables = list(opts.table);
  const columns = list(opts.columns);
  const pks = list(opts.pk);
  if (tables.length === 0 && (columns.length > 0 || pks.length > 0))
    throw new KeyturnError('usage', '--columns and --pk go with a --table.');
  if (columns.length !== tables.length)
    throw new KeyturnError(
      'usage',
      'Give each --table its --columns (a comma list), in the same order: --table users --columns email,phone.',
    );
  if (pks.length > 0 && pks.length !== tables.length)
    throw new KeyturnError('usage', 'Give --pk for every --table or for none (tables with a primary key need none).');
  return tables.map((table, i) => ({
    table,
    columns: columns[i]!.split(',')
      .map((c) => c.trim())
      .filter((c) => c.length > 0),
    ...(pks[i] ? { pk: pks[i] } : {}),
  }));
}

/** `--accepted-secrets JWT_SECRET_KEYS` (every key named) or `jwt-secret-key=JWT_SECRET_KEYS`. */
function acceptedFrom(values: string[], keys: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const [key, variable] = v.includes('=') ? (v.split('=', 2) as [string, string]) : [undefined, v];
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(variable))
      throw new KeyturnError('usage', '--accepted-secrets takes a variable name (JWT_SECRET_KEYS) or KEY=VARIABLE.');
    for (const k of key ? [key] : keys) out[k] = variable;
  }
  return out;
}

export function planRequestFrom(keys: string[], opts: Record<string, unknown>): PlanRequest {
  const tables = tablesFrom(opts);
  const dbEnv = str(opts.dbEnv);
  if (tables.length > 0 && !dbEnv) throw new KeyturnError('usage', '--table needs --db-env VAR, the variable that holds the database URL.');
  if (dbEnv && tables.length === 0) throw new KeyturnError('usage', 'Name the tables to re-encrypt: --table users --columns email,phone.');
  const profile = str(opts.profile);
  if (profile) getProfile(profile);
  const app = {
    ...(str(opts.restart) ? { restart: str(opts.restart)! } : {}),
    ...(str(opts.health) ? { health: str(opts.health)! } : {}),
    ...(str(opts.jwksUrl) ? { jwksUrl: str(opts.jwksUrl)! } : {}),
  };
  const accepted = acceptedFrom(list(opts.acceptedSecrets), keys);
  return {
    keys,
    ...(str(opts.id) ? { id: str(opts.id)! } : {}),
    envFiles: list(opts.envFile),
    ...(profile ? { profile } : {}),
    targets: list(opts.target),
    ...(dbEnv ? { databases: [{ urlVar: dbEnv, ...(str(opts.dbEnvFile) ? { envFile: str(opts.dbEnvFile)! } : {}), tables }] } : {}),
    ...(Object.keys(app).length > 0 ? { app } : {}),
    ...(str(opts.backupDir) ? { backupDir: str(opts.backupDir)! } : {}),
    ...(str(opts.overlap) !== undefined ? { overlap: str(opts.overlap)! } : {}),
    ...(accepted ? { acceptedSecretsVar: accepted } : {}),
  };
}

/** Writes output the user asked for into a file; an existing file is replaced only with --force (it may be a .env). */
async function writeOut(path: string, text: string, force: boolean): Promise<string> {
  const full = resolve(path);
  if (
    !force &&
    (await access(full).then(
      () => true,
      () => false,
    ))
  )
    throw new KeyturnError('already-exists', `${path} already exists; choose another file or pass --force to replace it.`);
  await writeFileAtomic(full, text, { mode: 0o644 });
  return full;
}

function stepNumber(text: string | undefined): number {
  return parseCount(text, 'the step number', 4)!;
}

/** Asks on the terminal; false when there is none (then --yes is the only way to confirm). */
async function confirmOnTerminal(io: CliIo, question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !(io.stderr as NodeJS.WriteStream).isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: io.stderr as NodeJS.WriteStream });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function describeOutcome(view: StepView): string {
  const n = view.step.n;
  if (view.state.status === 'done') return `Step ${n} done${view.state.note ? `: ${view.state.note}` : '.'}`;
  return `Step ${n} ${describeStepState(view)}`;
}

export function registerRotateCommand(program: Command, cli: CliContext): void {
  const rotate = program
    .command('rotate')
    .description('Rotation: what is due, plans written from the inventory and your .env files, followed step by step.');

  defineCommand(rotate, cli, {
    name: 'due',
    description: 'List keys past or near their due date (exit 1 when any is past due, for CI); --ics writes a calendar of every due date.',
    options: [
      ['--all', 'list every key, not only those due soon or past due'],
      ['--ics <file>', 'also write the due dates as an iCalendar file (one event per key, an alarm at the warning time)'],
      ['--force', 'replace the --ics file if it exists'],
    ],
    json: true,
    async run({ services, io, opts }) {
      const report = await services.rotation.due();
      const ics = str(opts.ics);
      if (ics) {
        const path = await writeOut(ics, dueCalendar(report), opts.force === true);
        io.stderr.write(`Wrote ${report.entries.length} due ${report.entries.length === 1 ? 'date' : 'dates'} to ${path}.\n`);
      }
      if (io.json) writeJson(io, report);
      else io.stdout.write(formatDue(report, opts.all === true));
      return report.exitCode;
    },
  });

  defineCommand(rotate, cli, {
    name: 'plan',
    description: 'Write a rotation plan: ordered steps, each with its command, check and rollback; saved under KEYTURN_HOME/plans.',
    arguments: [['<keys...>', 'the keys to rotate (names in the inventory)']],
    options: [
      ['--env-file <file>', 'an .env file of the application (repeatable): lifetimes, variable names, the files to back up', collect],
      ['--profile <id>', 'the profile the .env files follow (see `keyturn env profiles`), for the check commands'],
      ['--target <name>', 'a push target the keys go to (repeatable; see `keyturn targets list`)', collect],
      ['--db-env <var>', 'the variable holding the URL of the database whose rows are encrypted with the Fernet key'],
      ['--db-env-file <file>', 'the .env file that sets --db-env (default: the first --env-file that does, else the environment)'],
      ['--table <name>', 'a table to re-encrypt (repeatable, each with its --columns)', collect],
      ['--columns <a,b>', 'the Fernet columns of the --table before it', collect],
      ['--pk <column>', 'the key column of each --table, for tables without a primary key', collect],
      ['--overlap <duration>', 'how long the old version stays usable after the switch (default: from token lifetimes; 0 for none)'],
      ['--accepted-secrets <var>', 'the variable listing the secrets the app accepts (JWT_SECRET_KEYS), or KEY=VAR', collect],
      ['--restart <command>', 'how the application is restarted, for the deploy steps'],
      ['--health <command>', 'a command that checks the application is healthy'],
      ['--jwks-url <url>', 'where verifiers fetch the JWKS, for its checks'],
      ['--backup-dir <dir>', 'where database dumps go (default backups)'],
      ['--id <id>', 'the plan id (default KEY-YYYYMMDD-HHMM)'],
      ['--format <format>', 'the runbook printed: md (Markdown, default) or json'],
      ['--out <file>', 'write the runbook to this file instead of stdout'],
      ['--force', 'replace the --out file if it exists'],
    ],
    json: true,
    examples:
      '  keyturn rotate plan pii-enc-key --env-file infra/.env --db-env DATABASE_URL --table users --columns email_enc,phone_enc\n' +
      '  keyturn rotate plan jwt-secret-key --env-file infra/.env --restart "docker compose up -d api" --out rotation.md',
    async run({ services, io, opts, args }) {
      const format: RenderFormat = io.json ? 'json' : (parseChoice(opts.format, '--format', FORMATS) ?? 'md');
      const status = await services.rotation.plan(planRequestFrom(args, opts), { cwd: process.cwd() });
      const id = status.plan.id;
      const text = await services.rotation.render(id, format);
      const out = str(opts.out);
      const auto = status.steps.filter((s) => s.runnable).length;
      const summary = `Saved plan ${id}: ${status.steps.length} steps, ${auto} run by Keyturn (after you confirm), ${status.steps.length - auto} by hand.`;
      if (out) {
        const path = await writeOut(out, text, opts.force === true);
        io.stdout.write(`${summary}\nWrote the runbook to ${path}.\n${nextCommand(status)}\n`);
      } else {
        io.stdout.write(text);
        io.stderr.write(`${summary}\n${nextCommand(status)}\n`);
      }
      for (const w of status.plan.warnings) io.stderr.write(`warning: ${w}\n`);
    },
  });

  defineCommand(rotate, cli, {
    name: 'status [plan]',
    description: 'Show the state of every step of a plan (or list the plans): done, running, failed, waiting, and what comes next.',
    json: true,
    async run({ services, io, args }) {
      if (args.length === 0) {
        const plans = await services.rotation.list();
        if (io.json) writeJson(io, { plans });
        else io.stdout.write(formatPlanList(plans));
        return;
      }
      const status = await services.rotation.status(args[0]!);
      if (io.json) writeJson(io, status);
      else io.stdout.write(formatPlanStatus(status));
    },
  });

  defineCommand(rotate, cli, {
    name: 'run-step',
    description: 'Run a step Keyturn can do itself, after confirmation; long steps run as jobs with a live progress line (Ctrl+C pauses).',
    arguments: [PLAN_ARG, STEP_ARG],
    options: [
      ['--yes', 'confirm without asking (needed when there is no terminal)'],
      ['--progress', 'print progress lines even when stderr is not a terminal'],
      ['--no-progress', 'no progress line'],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      const [id, nText] = args as [string, string];
      const n = stepNumber(nText);
      let confirm = opts.yes === true;
      if (!confirm) {
        const view = (await services.rotation.status(id)).steps[n - 1];
        if (view && view.runnable && view.state.status !== 'done' && !view.blocked) {
          io.stderr.write(formatStepForConfirmation(id, view));
          confirm = await confirmOnTerminal(io, `\nRun step ${n} now? [y/N] `);
          if (!confirm && process.stdin.isTTY) {
            io.stderr.write('Nothing was done.\n');
            return EXIT_FAILED;
          }
        }
      }
      let view = await services.rotation.runStep(id, n, { confirm });
      if (view.state.status === 'running') {
        const line = createProgressLine(io.stderr, progressMode(opts));
        const interrupt = untilInterrupted();
        io.stderr.write(`keyturn: step ${n} runs as job ${view.state.job!.id}; Ctrl+C pauses it.\n`);
        try {
          view = await services.rotation.follow(id, n, { signal: interrupt.signal, onProgress: (job) => line.update(job.progress) });
        } finally {
          line.end();
          interrupt.dispose();
        }
      }
      const status = await services.rotation.status(id);
      if (io.json) writeJson(io, { step: view, next: status.next });
      else io.stdout.write(`${describeOutcome(view)}\n${nextCommand(status)}\n`);
      return view.state.status === 'done' ? EXIT_OK : EXIT_FAILED;
    },
  });

  defineCommand(rotate, cli, {
    name: 'done',
    description: 'Tick off a step you did by hand (or one Keyturn cannot run), with a note on what was done.',
    arguments: [PLAN_ARG, STEP_ARG],
    required: [['--note <text>', 'what was done, by whom, what the check printed (never a value)']],
    json: true,
    async run({ services, io, opts, args }) {
      const [id, nText] = args as [string, string];
      const view = await services.rotation.markDone(id, stepNumber(nText), String(opts.note));
      const status = await services.rotation.status(id);
      if (io.json) writeJson(io, { step: view, next: status.next });
      else io.stdout.write(`Step ${view.step.n} ticked off.\n${nextCommand(status)}\n`);
    },
  });

  defineCommand(rotate, cli, {
    name: 'export',
    description: 'Print a saved plan as a runbook again: Markdown for a wiki or change ticket, or JSON for tools.',
    arguments: [PLAN_ARG],
    options: [
      ['--format <format>', 'md (default) or json'],
      ['--out <file>', 'write it to this file instead of stdout'],
      ['--force', 'replace the --out file if it exists'],
    ],
    async run({ services, io, opts, args }) {
      const text = await services.rotation.render(args[0]!, parseChoice(opts.format, '--format', FORMATS) ?? 'md');
      const out = str(opts.out);
      if (out) io.stdout.write(`Wrote the runbook to ${await writeOut(out, text, opts.force === true)}.\n`);
      else io.stdout.write(text);
    },
  });
}
