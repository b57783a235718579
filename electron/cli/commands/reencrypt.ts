// `keyturn reencrypt scan|run|resume|verify`: stored PII re-encrypted under a new Fernet key, as a resumable job with a
// live progress line (Ctrl+C pauses). The database URL comes from a variable or a .env file, never from argv.
import type { Command } from 'commander';
import type { JobSummary } from '../../../shared/domain/job.js';
import type { ReencryptResult, RowReport } from '../../node/db/reencrypt/reencrypt-types.js';
import type { Services } from '../../node/compose.js';
import { defineCommand, type CliContext } from '../command.js';
import { untilInterrupted } from '../interrupt.js';
import { nextStep } from '../job-output.js';
import { parseCount, str } from '../options.js';
import { EXIT_FAILED, EXIT_OK, writeJson, type CliIo } from '../output.js';
import { createProgressLine, progressMode } from '../progress-line.js';
import { renderCensus, renderReencryptResult } from '../reencrypt-output.js';

const DB: [string, string][] = [
  ['--db-env <VAR>', 'the variable holding the database URL (postgresql://, mysql://, sqlite:///, SQLAlchemy +driver forms)'],
];
const DB_OPTIONS: [string, string][] = [['--env-file <file>', 'read that variable from this .env file instead of the environment']];
const KEY_OPTIONS: [string, string][] = [
  ['--key <name>', 'a Fernet key in the keychain: its current version encrypts, its other versions decrypt'],
  ['--new-key-env <VAR>', 'instead of --key: a variable holding the new key'],
  ['--old-key-env <VAR>', 'a variable holding the old key (or a comma-separated list)'],
];
const split = (value: unknown): string[] | undefined =>
  str(value)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function common(opts: Record<string, unknown>, cwd: string) {
  const out: Record<string, unknown> = { dbEnv: str(opts.dbEnv), cwd };
  for (const [flag, key] of [
    ['envFile', 'envFile'],
    ['key', 'keyName'],
    ['newKeyEnv', 'newKeyEnv'],
    ['oldKeyEnv', 'oldKeyEnv'],
    ['schema', 'schema'],
  ] as const) {
    const value = str(opts[flag]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The caller's folder: npm run keeps it in INIT_CWD. */
const callerCwd = (): string => process.env.INIT_CWD ?? process.cwd();

async function rowsOf(services: Services, id: string): Promise<RowReport[]> {
  const rows: RowReport[] = [];
  for await (const record of services.jobs.output(id)) rows.push(record as RowReport);
  return rows;
}

/** Runs (or resumes) in the foreground: live line on stderr, JSON progress events on stderr with --json. */
async function follow(
  services: Services,
  io: CliIo,
  opts: Record<string, unknown>,
  start: (o: Parameters<Services['jobs']['run']>[2]) => Promise<JobSummary>,
): Promise<number> {
  const line = createProgressLine(io.stderr, io.json ? 'never' : progressMode(opts));
  const interrupt = untilInterrupted();
  let announced = false;
  const job = await start({
    signal: interrupt.signal,
    onProgress: (j) => {
      if (!announced) {
        announced = true;
        if (io.json) io.stderr.write(`${JSON.stringify({ event: 'started', job: j.id, title: j.title })}\n`);
        else io.stderr.write(`keyturn: job ${j.id}: ${j.title}; Ctrl+C pauses it, "keyturn reencrypt resume ${j.id}" continues it.\n`);
      }
      if (io.json) io.stderr.write(`${JSON.stringify({ event: 'progress', job: j.id, state: j.state, ...j.progress })}\n`);
      else line.update(j.progress);
    },
  }).finally(() => interrupt.dispose());
  line.end();
  const rows = await rowsOf(services, job.id);
  if (io.json) writeJson(io, { job, rows });
  if (job.state !== 'done') {
    if (!io.json)
      io.stderr.write(
        `keyturn: job ${job.id} is ${job.state}.${job.error ? ` ${job.error.message}` : ''} ${nextStep(job)?.replace('keyturn jobs resume', 'keyturn reencrypt resume') ?? ''}\n`,
      );
    return EXIT_FAILED;
  }
  const result = job.result as ReencryptResult;
  if (!io.json) io.stdout.write(renderReencryptResult(result, rows));
  return result.dryRun || result.safeToRetire ? EXIT_OK : EXIT_FAILED;
}

export function registerReencryptCommand(program: Command, cli: CliContext): void {
  const reencrypt = program
    .command('reencrypt')
    .description(
      'Re-encrypt stored PII (Fernet tokens in PostgreSQL, MySQL/MariaDB or SQLite) under a new key: scan, run, resume, verify.',
    );

  defineCommand(reencrypt, cli, {
    name: 'scan',
    description:
      'Find the columns that hold Fernet tokens (sampling text, bytea and BLOB columns) and count, per column, the rows each key version opens.',
    required: DB,
    options: [
      ...DB_OPTIONS,
      ['--table <name>', 'only this table (default: every table)'],
      ['--schema <name|pattern>', 'a schema, or a pattern such as tenant_%'],
      ...KEY_OPTIONS,
    ],
    json: true,
    keychain: true,
    examples: '  keyturn reencrypt scan --db-env DATABASE_URL --env-file infra/.env --key pii-enc-key',
    async run({ services, io, opts }) {
      const request = { ...common(opts, callerCwd()), ...(str(opts.table) ? { table: str(opts.table) } : {}) } as Parameters<
        Services['reencrypt']['scan']
      >[0];
      const report = await services.reencrypt.scan(request);
      if (io.json) writeJson(io, report);
      else io.stdout.write(renderCensus(report, 'scan'));
    },
  });

  defineCommand(reencrypt, cli, {
    name: 'run',
    description:
      'Re-encrypt the columns as a resumable job: keyset batches, compare-and-set writes, each new token checked under the new key. Exit 1 if rows are left (poison) or the job stops.',
    required: [...DB, ['--table <name>', 'the table'], ['--columns <a,b>', 'the token columns, comma-separated']],
    options: [
      ...DB_OPTIONS,
      ['--pk <a,b>', 'key columns to page by when the table has no primary key (a NOT NULL unique key)'],
      ['--schema <name|pattern>', 'a schema, or a pattern such as tenant_% (one job over all of them)'],
      ...KEY_OPTIONS,
      ['--dry-run', 'count what would change; write nothing'],
      ['--batch-size <n>', 'rows per batch (default 2000)'],
      ['--progress', 'print progress lines even when stderr is not a terminal'],
      ['--no-progress', 'no progress line'],
    ],
    json: true,
    keychain: true,
    examples: [
      '  keyturn reencrypt run --db-env DATABASE_URL --env-file infra/.env --table users --columns email_enc,phone_enc --key pii-enc-key --dry-run',
      '  keyturn reencrypt run --db-env DATABASE_URL --table pii_store --columns value --key pii-enc-key',
    ].join('\n'),
    async run({ services, io, opts }) {
      const params = {
        ...common(opts, callerCwd()),
        table: str(opts.table),
        columns: split(opts.columns),
        ...(split(opts.pk) ? { pk: split(opts.pk) } : {}),
        dryRun: opts.dryRun === true,
        ...(opts.batchSize !== undefined ? { batchSize: parseCount(opts.batchSize, '--batch-size', 5) } : {}),
      };
      await services.reencrypt.preflight(params as unknown as Parameters<Services['reencrypt']['preflight']>[0]);
      return follow(services, io, opts, (o) => services.jobs.run('reencrypt', params, { ...o, cwd: callerCwd() }));
    },
  });

  defineCommand(reencrypt, cli, {
    name: 'resume',
    description: 'Continue a paused, interrupted (kill -9, power loss) or failed re-encryption job from its last committed batch.',
    arguments: [['<job>', 'the job id (see `keyturn jobs list`)']],
    options: [
      ['--progress', 'print progress lines even when stderr is not a terminal'],
      ['--no-progress', 'no progress line'],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      return follow(services, io, opts, (o) => services.jobs.resume(args[0]!, o ?? {}));
    },
  });

  defineCommand(reencrypt, cli, {
    name: 'verify',
    description:
      'Count, per column, the rows the new key alone decrypts, and list the rest by key. Exit 0 only when every token opens under the new key.',
    required: [...DB, ['--table <name>', 'the table'], ['--columns <a,b>', 'the token columns, comma-separated']],
    options: [
      ...DB_OPTIONS,
      ['--pk <a,b>', 'key columns when the table has no primary key'],
      ['--schema <name|pattern>', 'a schema or a pattern'],
      ...KEY_OPTIONS,
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts }) {
      const request = {
        ...common(opts, callerCwd()),
        table: str(opts.table)!,
        columns: split(opts.columns) ?? [],
        ...(split(opts.pk) ? { pk: split(opts.pk) } : {}),
      } as Parameters<Services['reencrypt']['verify']>[0];
      const report = await services.reencrypt.verify(request);
      if (io.json) writeJson(io, report);
      else io.stdout.write(renderCensus(report, 'verify'));
      return report.safeToRetire ? EXIT_OK : EXIT_FAILED;
    },
  });
}
