// Opens the PII store a database URL names: the URL read from an environment variable or a .env file (never from the
// command line), parsed, and handed to the adapter for its dialect, whose driver is loaded only then.
import { dirname, resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../../../shared/formats/database-url.js';
import { readEnvFile } from '../envcheck/read-env-file.js';
import type { PiiStore } from './pii-store.js';

export interface DatabaseSource {
  /** The variable that holds the URL, e.g. DATABASE_URL. */
  dbEnv: string;
  /** A .env file to read it from; without one, the process environment. */
  envFile?: string;
}

export interface ResolvedDatabase {
  target: DatabaseTarget;
  /** Relative SQLite paths and TLS files resolve against this: the .env file's folder, or the caller's. */
  baseDir: string;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads and parses the URL; every refusal names the variable and the file, never the value. */
export async function resolveDatabase(
  source: DatabaseSource,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<ResolvedDatabase> {
  if (!VARIABLE.test(source.dbEnv))
    throw new KeyturnError(
      'invalid-input',
      '--db-env takes the name of a variable (letters, digits, _), not a URL: a URL on the command line would leak its password.',
    );
  let value: string | undefined;
  let baseDir = cwd;
  if (source.envFile) {
    const path = resolve(cwd, source.envFile);
    const parsed = parseEnv((await readEnvFile(path, `The .env file ${path}`)).text);
    value = envValues(parsed).get(source.dbEnv) ?? undefined;
    baseDir = dirname(path);
    if (value === undefined) throw new KeyturnError('not-found', `${path} does not set ${source.dbEnv}.`);
  } else {
    value = env[source.dbEnv];
    if (value === undefined)
      throw new KeyturnError(
        'not-found',
        `The environment variable ${source.dbEnv} is not set; set it, or read it from a file with --env-file.`,
      );
  }
  if (value.trim() === '') throw new KeyturnError('invalid-input', `${source.dbEnv} is empty: it should hold a database URL.`);
  try {
    return { target: parseDatabaseUrl(value), baseDir };
  } catch (error) {
    if (error instanceof KeyturnError) throw new KeyturnError(error.code, `${source.dbEnv}: ${error.message}`);
    throw error;
  }
}

export async function openPiiStore({ target, baseDir }: ResolvedDatabase): Promise<PiiStore> {
  switch (target.dialect) {
    case 'postgres':
      return (await import('./postgres.js')).openPostgres(target, { baseDir });
    case 'mysql':
      return (await import('./mysql.js')).openMysql(target, { baseDir });
    case 'sqlite':
      return (await import('./sqlite.js')).openSqlite(target, { baseDir });
  }
}
