// Small hook for one async action: its pending state and its last error, so every screen reports failures the same way.
import { useCallback, useRef, useState } from 'react';
import { toIpcError, type IpcError } from '../../../shared/ipc/result.js';

export interface AsyncAction<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  pending: boolean;
  error: IpcError | undefined;
  clearError: () => void;
}

export function useAsyncAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): AsyncAction<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<IpcError | undefined>(undefined);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args: A) => {
    setPending(true);
    setError(undefined);
    try {
      return await latest.current(...args);
    } catch (caught) {
      setError(toIpcError(caught));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { run, pending, error, clearError: useCallback(() => setError(undefined), []) };
}
