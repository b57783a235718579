// A throwaway MariaDB for one test file: mariadb-install-db in a temp folder, mariadbd on a random 127.0.0.1 port,
// run as the mysql system user when the tests run as root, with a password user for the tests. stop() removes it all.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, freePort, runAs, serverDir, serverUser, startServer, stopServer } from './server-process.js';

const INSTALL_DB = process.env.KEYTURN_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db';
const MARIADBD = process.env.KEYTURN_MARIADBD ?? '/usr/sbin/mariadbd';

export interface MariadbServer {
  port: number;
  user: string;
  password: string;
  url(options?: { database?: string; user?: string; password?: string; scheme?: string; query?: string }): string;
  stop(): Promise<void>;
}

export async function startMariadb(): Promise<MariadbServer> {
  if (!existsSync(MARIADBD)) throw new Error(`MariaDB is not installed at ${MARIADBD}: install Debian's mariadb-server (see .ci/run)`);
  const user = serverUser('mysql');
  const dir = serverDir('keyturn-maria-', user);
  const data = join(dir, 'data');
  const admin = 'keyturn';
  const password = randomBytes(12).toString('hex');
  await runAs(
    INSTALL_DB,
    ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=socket', '--skip-test-db', '--skip-name-resolve'],
    user,
  );
  // The test user is made at start-up from a file only the server user reads: no password on a command line.
  const init = join(dir, 'init.sql');
  writeFileSync(
    init,
    `CREATE USER '${admin}'@'127.0.0.1' IDENTIFIED BY '${password}';\nGRANT ALL PRIVILEGES ON *.* TO '${admin}'@'127.0.0.1' WITH GRANT OPTION;\n`,
    {
      mode: 0o600,
    },
  );
  if (user) chownTree(dir, user);
  const port = await freePort();
  const server = await startServer(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--init-file=${init}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=128M',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-connections=50',
    ],
    user,
    /ready for connections/,
  );
  return {
    port,
    user: admin,
    password,
    url({ database = 'mysql', user: who = admin, password: pw = password, scheme = 'mysql', query = '' } = {}) {
      return `${scheme}://${encodeURIComponent(who)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}${query ? `?${query}` : ''}`;
    },
    stop: () => stopServer(server, 'SIGTERM', dir),
  };
}
