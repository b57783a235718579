// Database URLs as the guides write them (libpq, SQLAlchemy `dialect+driver://`, `sqlite:///path`), parsed without echoing them.
import { KeyturnError } from '../domain/errors.js';

export type DatabaseDialect = 'postgres' | 'mysql' | 'sqlite';

/**
 * libpq's sslmode ladder, which every driver's TLS switch maps onto: disable (plain), prefer (TLS when offered, no
 * check), require (TLS, no certificate check), verify-ca (certificate chains to a trusted CA), verify-full (and the
 * host name matches).
 */
export const TLS_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface TlsSettings {
  mode: TlsMode;
  /** Paths to PEM files (CA bundle, client certificate and key), as given in the URL. */
  ca?: string;
  cert?: string;
  key?: string;
}

export interface DatabaseTarget {
  dialect: DatabaseDialect;
  /** The SQLAlchemy driver after `+` (asyncpg, pymysql, ...), kept only to describe the URL. */
  driver?: string;
  host?: string;
  port?: number;
  /** A Unix socket: its folder for PostgreSQL (`?host=/run/postgresql`), its file for MySQL (`?unix_socket=`). */
  socket?: string;
  user?: string;
  password?: string;
  database?: string;
  /** SQLite: the file as written (relative paths resolve against the .env file's folder or the caller's), or ":memory:". */
  path?: string;
  tls: TlsSettings;
  /** Query parameters Keyturn does not use (names only; their values may be secrets). */
  ignored: string[];
}

const SCHEMES: Record<string, DatabaseDialect> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
};

const KNOWN = 'postgresql://, mysql://, mariadb:// or sqlite:/// (optionally with a +driver, as SQLAlchemy writes them)';

function bad(what: string): KeyturnError {
  // Never the URL itself: it usually carries a password.
  return new KeyturnError('invalid-input', `The database URL ${what}.`);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw bad(`has a malformed %-escape in its ${what}`);
  }
}

/** libpq values plus the spellings of asyncpg (`ssl=require`), MySQL (`ssl-mode=VERIFY_IDENTITY`) and PyMySQL. */
const TLS_SPELLINGS: Record<string, TlsMode> = {
  disable: 'disable',
  disabled: 'disable',
  false: 'disable',
  allow: 'prefer',
  prefer: 'prefer',
  preferred: 'prefer',
  require: 'require',
  required: 'require',
  true: 'require',
  'verify-ca': 'verify-ca',
  verify_ca: 'verify-ca',
  'verify-full': 'verify-full',
  verify_identity: 'verify-full',
  'verify-identity': 'verify-full',
};

const TLS_MODE_KEYS = ['sslmode', 'ssl', 'ssl-mode', 'ssl_mode', 'tls'];
const TLS_FILE_KEYS: Record<string, 'ca' | 'cert' | 'key'> = {
  sslrootcert: 'ca',
  sslcert: 'cert',
  sslkey: 'key',
  ssl_ca: 'ca',
  'ssl-ca': 'ca',
  ssl_cert: 'cert',
  'ssl-cert': 'cert',
  ssl_key: 'key',
  'ssl-key': 'key',
};

function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), 'query').toLowerCase();
    params.set(name, decode(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' '), 'query'));
  }
  return params;
}

function tlsFrom(params: Map<string, string>, dialect: DatabaseDialect): { tls: TlsSettings; used: Set<string> } {
  const used = new Set<string>();
  // libpq's default is prefer; MySQL clients also try TLS when the server offers it.
  const tls: TlsSettings = { mode: dialect === 'sqlite' ? 'disable' : 'prefer' };
  for (const name of TLS_MODE_KEYS) {
    const value = params.get(name);
    if (value === undefined) continue;
    const mode = TLS_SPELLINGS[value.toLowerCase()];
    if (!mode) throw bad(`sets ${name} to a value Keyturn does not know; use one of ${TLS_MODES.join(', ')}`);
    tls.mode = mode;
    used.add(name);
  }
  for (const [name, slot] of Object.entries(TLS_FILE_KEYS)) {
    const value = params.get(name);
    if (value === undefined) continue;
    tls[slot] = value;
    used.add(name);
  }
  // PyMySQL: ssl_verify_cert / ssl_verify_identity switch verification on.
  if (/^(1|true)$/i.test(params.get('ssl_verify_identity') ?? '')) tls.mode = 'verify-full';
  else if (/^(1|true)$/i.test(params.get('ssl_verify_cert') ?? '') && tls.mode !== 'verify-full') tls.mode = 'verify-ca';
  for (const name of ['ssl_verify_identity', 'ssl_verify_cert']) if (params.has(name)) used.add(name);
  // PyMySQL checks the server against ssl_ca whenever one is given; libpq needs sslmode for that, so keep its mode.
  if (tls.ca && tls.mode === 'prefer' && dialect === 'mysql') tls.mode = 'verify-ca';
  return { tls, used };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) throw bad('has a port that is not a number from 1 to 65535');
  return port;
}

function parseSqlite(rest: string, query: string, driver: string | undefined): DatabaseTarget {
  // SQLAlchemy: sqlite:///relative.db, sqlite:////absolute.db, sqlite:// (in memory).
  if (rest !== '' && !rest.startsWith('/'))
    throw bad('for SQLite must look like sqlite:///relative/path.db or sqlite:////absolute/path.db');
  const path = rest === '' || rest === '/' || rest === '/:memory:' ? ':memory:' : decode(rest.slice(1), 'path');
  const params = parseQuery(query);
  const ignored = [...params.keys()];
  return { dialect: 'sqlite', ...(driver ? { driver } : {}), path, tls: { mode: 'disable' }, ignored };
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  const text = url.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9.-]*)(?:\+([A-Za-z0-9_.-]+))?:\/\//.exec(text);
  if (!scheme) throw bad(`does not start with a scheme Keyturn knows; use ${KNOWN}`);
  const dialect = SCHEMES[scheme[1]!.toLowerCase()];
  if (!dialect) throw bad(`names a database Keyturn does not support; use ${KNOWN}`);
  const driver = scheme[2];
  let rest = text.slice(scheme[0].length);
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (dialect === 'sqlite') return parseSqlite(rest, query, driver);

  // The last @ ends the credentials: an unescaped @ or / in a password is common enough to allow.
  const at = rest.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : rest.slice(0, at);
  const afterAt = at < 0 ? rest : rest.slice(at + 1);
  const slash = afterAt.indexOf('/');
  const hostPort = slash < 0 ? afterAt : afterAt.slice(0, slash);
  const pathPart = slash < 0 ? '' : afterAt.slice(slash + 1);

  const target: DatabaseTarget = { dialect, ...(driver ? { driver } : {}), tls: { mode: 'prefer' }, ignored: [] };
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name');
    if (user !== '') target.user = user;
    if (colon >= 0) target.password = decode(userinfo.slice(colon + 1), 'password');
  }
  const hostMatch = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]*)(?::(\d*))?$/.exec(hostPort);
  if (!hostMatch) throw bad('has a host that cannot be read');
  const host = hostMatch[1]!.replace(/^\[(.*)\]$/, '$1');
  if (host !== '') target.host = decode(host, 'host');
  if (hostMatch[2] !== undefined && hostMatch[2] !== '') target.port = parsePort(hostMatch[2]);
  if (pathPart.includes('/')) throw bad('has more than one path segment after the host; the path is the database name');
  if (pathPart !== '') target.database = decode(pathPart, 'database name');

  const params = parseQuery(query);
  const { tls, used } = tlsFrom(params, dialect);
  target.tls = tls;
  for (const name of ['host', 'unix_socket']) {
    const value = params.get(name);
    if (value === undefined) continue;
    used.add(name);
    if (value.startsWith('/')) target.socket = value;
    else if (name === 'host') target.host = value;
  }
  for (const [name, slot] of [
    ['port', 'port'],
    ['user', 'user'],
    ['dbname', 'database'],
    ['database', 'database'],
  ] as const) {
    const value = params.get(name);
    if (value === undefined) continue;
    used.add(name);
    if (slot === 'port') target.port = parsePort(value);
    else target[slot] = value;
  }
  if (params.has('password')) throw bad('carries a password as a query parameter; put it before the @ (user:password@host)');
  target.ignored = [...params.keys()].filter((name) => !used.has(name));
  return target;
}

/** The port a dialect listens on when the URL names none. */
export function defaultPort(dialect: DatabaseDialect): number | undefined {
  return dialect === 'postgres' ? 5432 : dialect === 'mysql' ? 3306 : undefined;
}

/** A one-line description for messages and reports: where, which database, who, TLS; never the password. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return target.path === ':memory:' ? 'SQLite in memory' : `SQLite file ${target.path}`;
  const where = target.socket ? `socket ${target.socket}` : `${target.host ?? 'localhost'}:${target.port ?? defaultPort(target.dialect)}`;
  const name = target.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
  const parts = [`${name} at ${where}`];
  if (target.database) parts.push(`database ${target.database}`);
  if (target.user) parts.push(`user ${target.user}`);
  parts.push(`TLS ${target.tls.mode}`);
  return parts.join(', ');
}
