import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from '../domain/errors.js';
import { describeDatabaseTarget, parseDatabaseUrl } from './database-url.js';

const PASSWORD = 'S3cr3t-p@ss/w0rd';

function refusal(url: string): KeyturnError {
  try {
    parseDatabaseUrl(url);
  } catch (error) {
    assert.ok(error instanceof KeyturnError);
    return error;
  }
  assert.fail('expected the URL to be refused');
}

test("reads the guides' SQLAlchemy URLs: driver suffix, credentials, host, port, database", () => {
  const pg = parseDatabaseUrl('postgresql+asyncpg://postgres:postgres@localhost:5432/resumerag');
  assert.deepEqual(pg, {
    dialect: 'postgres',
    driver: 'asyncpg',
    user: 'postgres',
    password: 'postgres',
    host: 'localhost',
    port: 5432,
    database: 'resumerag',
    tls: { mode: 'prefer' },
    ignored: [],
  });
  const my = parseDatabaseUrl('mysql+pymysql://docuser:pw@db.internal/docscan_db');
  assert.equal(my.dialect, 'mysql');
  assert.equal(my.driver, 'pymysql');
  assert.equal(my.port, undefined);
  assert.equal(my.database, 'docscan_db');
  assert.equal(parseDatabaseUrl('mariadb://u@h/d').dialect, 'mysql');
  assert.equal(parseDatabaseUrl('postgres://h/d').dialect, 'postgres');
});

test('percent-escapes in credentials are decoded and an unescaped @ in the password is tolerated', () => {
  const escaped = parseDatabaseUrl(`postgresql://app%40corp:${encodeURIComponent(PASSWORD)}@[::1]:6543/db`);
  assert.equal(escaped.user, 'app@corp');
  assert.equal(escaped.password, PASSWORD);
  assert.equal(escaped.host, '::1');
  assert.equal(escaped.port, 6543);
  const raw = parseDatabaseUrl('mysql://u:p@ss@127.0.0.1/db');
  assert.equal(raw.password, 'p@ss');
  assert.equal(raw.host, '127.0.0.1');
});

test('SQLite follows SQLAlchemy: three slashes relative, four absolute, none in memory', () => {
  assert.equal(parseDatabaseUrl('sqlite:///data/app.db').path, 'data/app.db');
  assert.equal(parseDatabaseUrl('sqlite:////var/lib/app.db').path, '/var/lib/app.db');
  assert.equal(parseDatabaseUrl('sqlite+aiosqlite:///./app.db').path, './app.db');
  assert.equal(parseDatabaseUrl('sqlite://').path, ':memory:');
  assert.equal(parseDatabaseUrl('sqlite:///:memory:').path, ':memory:');
  assert.equal(refusal('sqlite://host/app.db').code, 'invalid-input');
});

test('TLS options map onto one ladder whatever the driver calls them', () => {
  const cases: [string, string][] = [
    ['postgresql://h/d?sslmode=disable', 'disable'],
    ['postgresql://h/d?sslmode=require', 'require'],
    ['postgresql://h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem', 'verify-full'],
    ['postgresql+asyncpg://h/d?ssl=require', 'require'],
    ['mysql://h/d?ssl-mode=VERIFY_IDENTITY', 'verify-full'],
    ['mysql://h/d?ssl-mode=DISABLED', 'disable'],
    ['mysql+pymysql://h/d?ssl_ca=/etc/ca.pem', 'verify-ca'],
    ['mysql+pymysql://h/d?ssl_ca=/etc/ca.pem&ssl_verify_identity=true', 'verify-full'],
    ['postgresql://h/d', 'prefer'],
  ];
  for (const [url, mode] of cases) assert.equal(parseDatabaseUrl(url).tls.mode, mode, url);
  const files = parseDatabaseUrl('postgresql://h/d?sslmode=verify-ca&sslrootcert=/c/ca.pem&sslcert=/c/me.pem&sslkey=/c/me.key');
  assert.deepEqual(files.tls, { mode: 'verify-ca', ca: '/c/ca.pem', cert: '/c/me.pem', key: '/c/me.key' });
  assert.equal(refusal('postgresql://h/d?sslmode=sometimes').code, 'invalid-input');
});

test('Unix sockets and libpq query parameters are honoured; unknown parameters are listed by name only', () => {
  const pg = parseDatabaseUrl('postgresql:///resumerag?host=/run/postgresql&user=app&application_name=x');
  assert.equal(pg.socket, '/run/postgresql');
  assert.equal(pg.user, 'app');
  assert.equal(pg.database, 'resumerag');
  assert.deepEqual(pg.ignored, ['application_name']);
  assert.equal(parseDatabaseUrl('mysql://u@localhost/d?unix_socket=/run/mysqld/mysqld.sock').socket, '/run/mysqld/mysqld.sock');
});

test('bad URLs are refused with a sentence that never quotes the URL or its password', () => {
  const bads = [
    `redis://u:${PASSWORD}@h/0`,
    `u:${PASSWORD}@h/d`,
    `postgresql://u:${PASSWORD}@h:99999/d`,
    `postgresql://u:${PASSWORD}@h/d/extra`,
    `postgresql://u:${PASSWORD}@h:port/d`,
    `postgresql://u:${PASSWORD}@h/d?password=${PASSWORD}`,
    `postgresql://u:%zz${PASSWORD}@h/d`,
    `postgresql://u:${PASSWORD}@h/d?sslmode=${PASSWORD}`,
  ];
  for (const url of bads) {
    const error = refusal(url);
    assert.equal(error.code, 'invalid-input', url);
    assert.ok(!error.message.includes(PASSWORD) && !error.message.includes('S3cr3t'), error.message);
  }
});

test('the description names where and who, never the password', () => {
  const text = describeDatabaseTarget(parseDatabaseUrl(`postgresql://app:${PASSWORD}@db:5433/hr?sslmode=require`));
  assert.equal(text, 'PostgreSQL at db:5433, database hr, user app, TLS require');
  assert.equal(describeDatabaseTarget(parseDatabaseUrl('mysql://u:pw@h/d')), 'MySQL/MariaDB at h:3306, database d, user u, TLS prefer');
  assert.equal(describeDatabaseTarget(parseDatabaseUrl('sqlite:///a.db')), 'SQLite file a.db');
});
