// Bounds a wait: a deadline (timeout) joined with the caller's AbortSignal (cancel), both ending as KeyturnErrors.
// Callers that wait on something in particular (the keychain, a lock, a cloud API) pass errors that name it.
import { KeyturnError } from '../../../shared/domain/errors.js';

export interface Deadline {
  signal: AbortSignal;
  dispose(): void;
}

/** The errors a deadline ends with; the generic ones say only that the operation timed out or was cancelled. */
export interface DeadlineErrors {
  timeout(ms: number): KeyturnError;
  cancelled(): KeyturnError;
}

export function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

export const GENERIC_DEADLINE_ERRORS: DeadlineErrors = {
  timeout: (ms) =>
    new KeyturnError('timeout', `The operation did not finish within ${seconds(ms)} s and was stopped; allow longer with --timeout.`),
  cancelled: () => new KeyturnError('cancelled', 'The operation was cancelled.'),
};

/** A signal that aborts with `errors.timeout` after `timeoutMs`, or with `errors.cancelled` when `parent` aborts. */
export function deadline(timeoutMs: number, parent?: AbortSignal, errors: DeadlineErrors = GENERIC_DEADLINE_ERRORS): Deadline {
  const controller = new AbortController();
  const onParentAbort = (): void => {
    controller.abort(parent?.reason instanceof KeyturnError ? parent.reason : errors.cancelled());
  };
  const timer = setTimeout(() => controller.abort(errors.timeout(timeoutMs)), timeoutMs);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** The reason a signal aborted, as a KeyturnError (`fallback` when the reason is something else). */
export function abortReason(signal: AbortSignal, fallback: () => KeyturnError = GENERIC_DEADLINE_ERRORS.cancelled): KeyturnError {
  return signal.reason instanceof KeyturnError ? signal.reason : fallback();
}

/**
 * Settles with `work` or rejects as soon as `signal` aborts. A native call cannot be stopped, so it runs on and its
 * late result is dropped; the CLI exits after its action, and the desktop app simply never sees the late answer.
 */
export function abortable<T>(work: Promise<T>, signal?: AbortSignal, fallback?: () => KeyturnError): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal, fallback));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal, fallback));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts (and then keeps no timer alive). */
export function sleep(ms: number, signal?: AbortSignal, fallback?: () => KeyturnError): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal, fallback));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!, fallback));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
