// `--timeout SECONDS` for commands that call the OS keychain: parsed once, handed to compose() as keychainTimeoutMs.
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { AppConfig } from '../../node/config.js';

export const TIMEOUT_HELP =
  'longest wait for the OS keychain, in seconds (default 8; a locked keyring may be waiting for an unlock prompt)';

export function parseTimeoutSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(seconds > 0) || seconds > 3600) {
    throw new KeyturnError('usage', `--timeout takes a number of seconds between 0 and 3600 (got "${text.slice(0, 20)}").`);
  }
  return Math.round(seconds * 1000);
}

/** Config overrides from `--timeout` on the command or, failing that, on the program. */
export function keychainConfigFrom(command: Command): Partial<AppConfig> {
  const value = (command.optsWithGlobals() as { timeout?: unknown }).timeout;
  return typeof value === 'string' ? { keychainTimeoutMs: parseTimeoutSeconds(value) } : {};
}
