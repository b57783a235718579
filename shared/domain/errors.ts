// Every failure Keyturn reports has a stable code (for IPC, JSON output and tests) and a sentence a user can act on.

/** Codes that mean "the caller asked for something malformed": the CLI exits 2 for them, 1 for the rest. */
const INPUT_ERROR_CODES = ['usage', 'invalid-input', 'invalid-name', 'invalid-key', 'weak-parameter', 'unreadable-input'] as const;

export const ERROR_CODES = [
  ...INPUT_ERROR_CODES,
  // crypto
  'invalid-token',
  // keychain
  'keychain-unavailable',
  'keychain-no-dbus',
  'keychain-no-provider',
  'keychain-no-collection',
  'keychain-locked',
  'keychain-timeout',
  'keychain-cancelled',
  'value-too-large',
  'changed-outside',
  // inventory and vault
  'not-found',
  'already-exists',
  'refused',
  'lock-timeout',
  'audit-broken',
  // any bounded wait: a deadline that passed, a caller that gave up
  'timeout',
  'cancelled',
  // databases (re-encryption): reaching, logging in, TLS, losing the connection, privileges, keys, anything else
  'db-unreachable',
  'db-auth',
  'db-tls',
  'db-connection-lost',
  'db-permission',
  'db-no-key',
  'db-error',
  // files and services
  'io',
  'check-failed',
  'forbidden',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const INPUT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(INPUT_ERROR_CODES);

export class KeyturnError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KeyturnError';
    this.code = code;
    if (details) this.details = details;
  }
}

export function isInputError(code: ErrorCode): boolean {
  return INPUT_CODES.has(code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
