// Driver errors (pg SQLSTATEs, MySQL errnos, SQLite result codes, socket errors) as coded KeyturnErrors with a sentence.
// A server's own message is never passed on: it may quote a value (a key, a token) from the row it choked on.
import { KeyturnError } from '../../../shared/domain/errors.js';

interface DriverError {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  message?: unknown;
}

/** What the error happened to: `where` is the store's description, `what` the step ("reading users", "logging in"). */
export interface ErrorScene {
  where: string;
  what: string;
  user?: string;
}

const SOCKET_DOWN = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ECONNABORTED']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** True for failures after which the connection is gone (so no ROLLBACK can be sent, and resume is the way on). */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof KeyturnError) return error.code === 'db-connection-lost';
  const e = (error ?? {}) as DriverError;
  const code = text(e.code);
  const message = text(e.message);
  return (
    SOCKET_DOWN.has(code) ||
    ['57P01', '57P02', '57P03', '08006', '08003', '08000'].includes(code) ||
    [1927, 2006, 2013].includes(Number(e.errno)) ||
    /Connection terminated|connection is closed|Can't add new command when connection is in closed state/i.test(message)
  );
}

export function mapDbError(error: unknown, scene: ErrorScene): KeyturnError {
  if (error instanceof KeyturnError) return error;
  const e = (error ?? {}) as DriverError;
  const code = text(e.code);
  const errno = Number(e.errno);
  const message = text(e.message);
  const who = scene.user ? ` for user ${scene.user}` : '';
  const at = `${scene.where} (${scene.what})`;

  if (isConnectionLoss(error))
    return new KeyturnError(
      'db-connection-lost',
      `The connection to ${at} was lost. The batch in flight was rolled back by the database; nothing half-written is left. Resume the job to go on from the last committed batch.`,
    );
  if (UNREACHABLE.has(code))
    return new KeyturnError(
      'db-unreachable',
      `Keyturn cannot reach ${scene.where}: check the host, port or socket in the URL and that the server runs.`,
    );
  if (code === '28P01' || code === '28000' || errno === 1045 || errno === 1698)
    return new KeyturnError('db-auth', `${scene.where} refused the login${who}: check the user name and password in the URL.`);
  if (
    /does not support SSL|server does not allow insecure|SSL connection is required|self[- ]signed certificate|unable to verify|certificate|HANDSHAKE_SSL/i.test(
      message + code,
    )
  )
    return new KeyturnError(
      'db-tls',
      `The TLS connection to ${scene.where} failed: the server does not offer TLS, or its certificate does not match the URL's sslmode/CA. Check the TLS options in the URL.`,
    );
  if (code === '3D000' || errno === 1049)
    return new KeyturnError('not-found', `The database named in the URL does not exist on ${scene.where}.`);
  if (code === '42P01' || errno === 1146 || /no such table/i.test(message))
    return new KeyturnError('not-found', `${at}: the table does not exist (check --table and --schema).`);
  if (code === '42703' || errno === 1054 || /no such column/i.test(message))
    return new KeyturnError('not-found', `${at}: a column does not exist (check --columns and --pk).`);
  if (
    code === '42501' ||
    code === '25006' ||
    [1142, 1143, 1044, 1227, 1290].includes(errno) ||
    /SQLITE_READONLY|readonly database/i.test(code + message)
  )
    return new KeyturnError(
      'db-permission',
      `${at}: the database user${who} may not update this table (or the database is read-only). Nothing was changed. Grant UPDATE on the table, or use a user that has it.`,
    );
  if (code === '55P03' || code === '40P01' || errno === 1205 || errno === 1213 || /SQLITE_BUSY|database is locked/i.test(code + message))
    return new KeyturnError(
      'db-error',
      `${at}: the rows stayed locked by another session for too long (or a deadlock was broken). The batch was rolled back; resume the job to retry it.`,
    );
  if (code === '57014')
    return new KeyturnError('timeout', `${at}: the database cancelled a statement that ran too long. The batch was rolled back.`);
  const ref = code || (Number.isFinite(errno) ? `errno ${errno}` : error instanceof Error ? error.name : 'unknown');
  return new KeyturnError('db-error', `${at} failed (${ref}). Nothing was half-written: the batch was rolled back.`);
}
