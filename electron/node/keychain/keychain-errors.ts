// The keychain's failures as KeyturnErrors: one stable code each and a sentence that says what to do.
import { KeyturnError, type ErrorCode } from '../../../shared/domain/errors.js';
import { seconds, type DeadlineErrors } from '../lib/deadline.js';

export const KEYCHAIN_SENTENCES = {
  'keychain-no-dbus':
    'No D-Bus session bus is running, so the Secret Service keychain cannot be reached; run Keyturn inside a desktop session (or under dbus-run-session with gnome-keyring started). Nothing was written to a file instead.',
  'keychain-no-provider':
    'No Secret Service provider answers on the D-Bus session bus; install and start one (gnome-keyring, or KeePassXC with its Secret Service integration on) and try again. Nothing was written to a file instead.',
  'keychain-no-collection':
    'The Secret Service has no default keyring; create one (for example "Passwords and Keys" > New keyring, set as default) and try again.',
  'keychain-locked': 'The keyring is locked; unlock it (log in to the desktop, or unlock it in "Passwords and Keys") and try again.',
  'keychain-unavailable': 'The OS keychain cannot be used right now; check that it is installed and unlocked, then try again.',
} as const satisfies Partial<Record<ErrorCode, string>>;

export type KeychainFailureCode = keyof typeof KEYCHAIN_SENTENCES;

export function keychainError(code: KeychainFailureCode, extra?: string): KeyturnError {
  return new KeyturnError(code, extra ? `${KEYCHAIN_SENTENCES[code]} (${extra})` : KEYCHAIN_SENTENCES[code]);
}

export function timeoutError(ms: number): KeyturnError {
  return new KeyturnError(
    'keychain-timeout',
    `The keychain did not answer within ${seconds(ms)} s; it may be waiting for an unlock prompt. Unlock the keyring and try again, or allow longer with --timeout.`,
  );
}

export function cancelledError(): KeyturnError {
  return new KeyturnError(
    'keychain-cancelled',
    'The keychain call was cancelled; check the key with "keyturn keys show" before trying again.',
  );
}

/** Deadline errors for keychain calls: they name the keychain and what to do about it. */
export const KEYCHAIN_DEADLINE_ERRORS: DeadlineErrors = { timeout: timeoutError, cancelled: cancelledError };

/** Best guess from a library error text when no status probe is available. Never echoes more than a short OS sentence. */
export function classifyKeychainMessage(text: string): KeychainFailureCode {
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect: No such file|Failed to connect to socket/i.test(text))
    return 'keychain-no-dbus';
  if (/not provided by any \.service files|ServiceUnknown|Could not get secret service|no secret service/i.test(text))
    return 'keychain-no-provider';
  if (/locked collection|is locked|Cannot unlock/i.test(text)) return 'keychain-locked';
  if (/Object does not exist at path|No such object|no default collection|UnknownObject/i.test(text)) return 'keychain-no-collection';
  return 'keychain-unavailable';
}

/** A short, single-line form of an OS error text to show beside our sentence. */
export function shortOsText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 160);
}
