// The backup step run by Keyturn: pg_dump or mysqldump with the connection in the child's environment (PGPASSWORD,
// MYSQL_PWD), never on its command line, into a new file that is then checked non-empty and readable by the engine.
import { spawn } from 'node:child_process';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { StepAction } from '../../../shared/rotation/types.js';
import { readEnvVariable } from '../services/env-import.js';

type BackupAction = Extract<StepAction, { op: 'backup-db' }>;

export interface DumpOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

interface Connection {
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
  sslmode?: string;
}

async function readUrl(a: BackupAction, env: NodeJS.ProcessEnv): Promise<string> {
  if (a.envFile) return readEnvVariable(a.envFile, a.urlVar);
  const value = env[a.urlVar];
  if (!value) throw new KeyturnError('invalid-input', `${a.urlVar} is not set in the environment; pass the .env file that holds it.`);
  return value;
}

/** Splits a SQLAlchemy-style URL; the error never quotes it (it holds a password). */
function connection(url: string, a: BackupAction): Connection {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^[a-z0-9]+(\+[a-z0-9]+)?:/i, 'db:'));
  } catch {
    throw new KeyturnError('invalid-input', `${a.urlVar} is not a database URL (expected ${a.engine}://USER:PASSWORD@HOST:PORT/DB).`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !database) throw new KeyturnError('invalid-input', `${a.urlVar} names no host or no database.`);
  const sslmode = parsed.searchParams.get('sslmode') ?? undefined;
  return {
    host: parsed.hostname,
    port: parsed.port,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    ...(sslmode ? { sslmode } : {}),
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new KeyturnError('check-failed', `${command} is not installed or not on PATH; install the database's client tools.`)
          : error.name === 'AbortError'
            ? new KeyturnError('cancelled', `${command} was stopped.`)
            : new KeyturnError('io', `${command} could not start (${error.code ?? 'error'}).`),
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** The first line of a tool's complaint, with anything that looks like the URL's secret parts removed. */
function reason(stderr: string, c: Connection): string {
  let line = stderr.split('\n').find((l) => l.trim().length > 0) ?? 'no message';
  for (const secret of [c.password, c.user].filter((s) => s.length >= 3)) line = line.split(secret).join('***');
  return line.replace(/^(pg_dump|mysqldump): (error: )?/, '').slice(0, 200);
}

export async function dumpDatabase(a: BackupAction, options: DumpOptions = {}): Promise<string> {
  const base = options.env ?? process.env;
  if (a.engine === 'sqlite')
    throw new KeyturnError('refused', 'Keyturn does not back up SQLite files itself yet; run the command of this step by hand.');
  const c = connection(await readUrl(a, base), a);
  await mkdir(dirname(a.file), { recursive: true, mode: 0o700 });
  // Claim the file first: a backup is never overwritten, and a dump never lands on top of another one.
  try {
    await (await open(a.file, 'wx', 0o600)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new KeyturnError('already-exists', `${a.file} already exists; Keyturn never overwrites a backup.`);
    throw new KeyturnError('io', `${a.file} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const path = { PATH: base.PATH ?? '/usr/bin:/bin' };
  let tool: string;
  let result: { code: number; stderr: string };
  let check: () => Promise<{ code: number; stderr: string }>;
  if (a.engine === 'postgresql') {
    tool = 'pg_dump';
    const env = {
      ...path,
      PGHOST: c.host,
      PGPORT: c.port || '5432',
      PGUSER: c.user,
      PGPASSWORD: c.password,
      PGDATABASE: c.database,
      ...(c.sslmode ? { PGSSLMODE: c.sslmode } : {}),
    };
    result = await run('pg_dump', ['--format=custom', '--no-password', `--file=${a.file}`], env, options.signal);
    check = () => run('pg_restore', ['--list', a.file], path, options.signal);
  } else {
    tool = 'mysqldump';
    const env = { ...path, MYSQL_PWD: c.password };
    const args = [
      '--single-transaction',
      '--routines',
      `--host=${c.host}`,
      `--port=${c.port || '3306'}`,
      `--user=${c.user}`,
      `--result-file=${a.file}`,
      c.database,
    ];
    result = await run('mysqldump', args, env, options.signal);
    check = async () => ({ code: 0, stderr: '' });
  }
  if (result.code !== 0) {
    await unlink(a.file).catch(() => undefined);
    throw new KeyturnError('check-failed', `${tool} failed: ${reason(result.stderr, c)}. Nothing was backed up.`);
  }
  const size = (await stat(a.file)).size;
  if (size === 0) throw new KeyturnError('check-failed', `${tool} wrote an empty file (${a.file}); do not go on.`);
  const verified = await check();
  if (verified.code !== 0) throw new KeyturnError('check-failed', `${a.file} is not a readable dump; do not go on.`);
  return `Dumped the database in ${a.urlVar} to ${a.file} (${size} bytes); the dump reads back.`;
}
