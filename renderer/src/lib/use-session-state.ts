// State that survives leaving a screen and coming back (and a reload of the tab): kept in sessionStorage as JSON.
// Only what the user typed and value-free results go here, never a secret.
import { useCallback, useState } from 'react';

function read<T>(key: string, initial: T): T {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? initial : (JSON.parse(text) as T);
  } catch {
    return initial;
  }
}

export function useSessionState<T>(key: string, initial: T): [T, (next: T | ((previous: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => read(key, initial));
  const set = useCallback(
    (next: T | ((previous: T) => T)) => {
      setValue((previous) => {
        const resolved = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
        try {
          if (resolved === undefined) sessionStorage.removeItem(key);
          else sessionStorage.setItem(key, JSON.stringify(resolved));
        } catch {
          // A full or disabled storage only loses the memory of the screen, not the work.
        }
        return resolved;
      });
    },
    [key],
  );
  return [value, set];
}
