// Bounds every keychain call: a deadline (timeout) joined with the caller's AbortSignal (cancel), both ending as KeyturnErrors.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { cancelledError, timeoutError } from './keychain-errors.js';

export interface Deadline {
  signal: AbortSignal;
  dispose(): void;
}

/** A signal that aborts with keychain-timeout after `timeoutMs`, or with keychain-cancelled when `parent` aborts. */
export function deadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const onParentAbort = (): void => {
    controller.abort(parent?.reason instanceof KeyturnError ? parent.reason : cancelledError());
  };
  const timer = setTimeout(() => controller.abort(timeoutError(timeoutMs)), timeoutMs);
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

/** The reason a signal aborted, as a KeyturnError. */
export function abortReason(signal: AbortSignal): KeyturnError {
  return signal.reason instanceof KeyturnError ? signal.reason : cancelledError();
}

/**
 * Settles with `work` or rejects as soon as `signal` aborts. A native call cannot be stopped, so it runs on and its
 * late result is dropped; the CLI exits after its action, and the desktop app simply never sees the late answer.
 */
export function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
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
