// A throwaway PostgreSQL 15 for one test file: initdb in a temp folder, postgres on a random 127.0.0.1 port with
// password (SCRAM) authentication, run as the postgres system user when the tests run as root. stop() removes it all.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, freePort, runAs, serverDir, serverUser, startServer, stopServer } from './server-process.js';

export const PG_BIN = process.env.KEYTURN_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  port: number;
  /** With `tls`: the server's self-signed certificate, to trust as a CA (sslrootcert). */
  caFile?: string;
  /** The superuser and its password (random per server). */
  user: string;
  password: string;
  /** A URL for `database` (default "postgres") as `user` (default the superuser). */
  url(options?: { database?: string; user?: string; password?: string; scheme?: string; query?: string }): string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Durable writes (fsync, synchronous commit) as in production; off by default to keep tests fast. */
  durable?: boolean;
  /** Serve TLS only (hostssl), with a fresh self-signed certificate for 127.0.0.1 (its PEM is `caFile`). */
  tls?: boolean;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  if (!existsSync(join(PG_BIN, 'initdb')))
    throw new Error(`PostgreSQL 15 is not installed at ${PG_BIN}: install Debian's postgresql (see .ci/run)`);
  const user = serverUser('postgres');
  const dir = serverDir('keyturn-pg-', user);
  const superuser = 'keyturn';
  const password = randomBytes(12).toString('hex');
  // The password goes in a file the server user reads, never on a command line.
  writeFileSync(join(dir, 'pw'), password, { mode: 0o600 });
  if (user) chownTree(dir, user);
  const data = join(dir, 'data');
  await runAs(
    join(PG_BIN, 'initdb'),
    ['-D', data, '-U', superuser, `--pwfile=${join(dir, 'pw')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C.UTF-8'],
    user,
  );
  const tls: string[] = [];
  if (options.tls) {
    await runAs(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'server.key'),
        '-out',
        join(dir, 'server.crt'),
      ],
      undefined,
    );
    chmodSync(join(dir, 'server.key'), 0o600);
    // TLS only: a connection that succeeds is an encrypted one.
    writeFileSync(join(data, 'pg_hba.conf'), 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
    if (user) chownTree(dir, user);
    tls.push('-c', 'ssl=on', '-c', `ssl_cert_file=${join(dir, 'server.crt')}`, '-c', `ssl_key_file=${join(dir, 'server.key')}`);
  }
  const port = await freePort();
  const durability = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const server = await startServer(
    join(PG_BIN, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=50',
      '-c',
      'shared_buffers=128MB',
      ...durability,
      ...tls,
    ],
    user,
    /database system is ready to accept connections/,
  );
  return {
    port,
    ...(options.tls ? { caFile: join(dir, 'server.crt') } : {}),
    user: superuser,
    password,
    url({ database = 'postgres', user: who = superuser, password: pw = password, scheme = 'postgresql', query = '' } = {}) {
      return `${scheme}://${encodeURIComponent(who)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}${query ? `?${query}` : ''}`;
    },
    // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients a failed test left connected.
    stop: () => stopServer(server, 'SIGINT', dir),
  };
}
