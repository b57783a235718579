// Results that cross a process boundary: errors travel as values with a stable code, never as thrown objects.
import { KeyturnError, type ErrorCode } from '../domain/errors.js';

export interface IpcError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(error: unknown): IpcResult<never> {
  return { ok: false, error: toIpcError(error) };
}

export function toIpcError(error: unknown): IpcError {
  if (error instanceof KeyturnError) {
    return error.details
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: error.message };
  }
  // Unknown errors may carry anything (including secret material from a library); only a generic sentence crosses.
  return { code: 'internal', message: 'Keyturn hit an unexpected error; see the main process log for its type.' };
}

/** Rebuild the error on the receiving side so callers can `catch` it with its code intact. */
export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new KeyturnError(result.error.code, result.error.message, result.error.details);
}
