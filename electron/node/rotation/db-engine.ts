// Which engine a database URL names, from its scheme alone: the plan needs it for the dump and restore commands. The
// URL is read from its .env file or the environment and never kept, printed or quoted.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { DbEngine } from '../../../shared/rotation/types.js';
import { readEnvVariable } from '../services/env-import.js';

const SCHEMES: Record<string, DbEngine> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
};

/** `postgresql+asyncpg://...` -> postgresql; `mysql+pymysql://...` -> mysql; `sqlite:///app.db` -> sqlite. */
export function engineOfUrl(url: string, urlVar: string): DbEngine {
  const scheme = /^([A-Za-z][A-Za-z0-9]*)(\+[A-Za-z0-9_]+)?:/.exec(url.trim())?.[1]?.toLowerCase();
  const engine = scheme ? SCHEMES[scheme] : undefined;
  if (!engine)
    throw new KeyturnError(
      'invalid-input',
      `${urlVar} does not hold a PostgreSQL, MySQL/MariaDB or SQLite URL (postgresql://, mysql://, sqlite:///); check the variable name.`,
    );
  return engine;
}

export async function engineOf(db: { urlVar: string; envFile?: string | undefined }, env: NodeJS.ProcessEnv): Promise<DbEngine> {
  if (db.envFile) {
    const url = await readEnvVariable(db.envFile, db.urlVar).catch((error: unknown) => {
      if (error instanceof KeyturnError && error.code === 'invalid-input')
        throw new KeyturnError('invalid-input', `${db.urlVar} in ${db.envFile} is empty; set it to the database's URL.`);
      throw error;
    });
    return engineOfUrl(url, db.urlVar);
  }
  const value = env[db.urlVar];
  if (!value)
    throw new KeyturnError(
      'invalid-input',
      `${db.urlVar} is set neither in the environment nor in the .env files given; pass the file that holds it with --env-file.`,
    );
  return engineOfUrl(value, db.urlVar);
}
