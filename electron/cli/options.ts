// Parsers for option values typed on the command line: each refuses bad input with a usage error naming the flag.
import type { Command } from 'commander';
import { KeyturnError } from '../../shared/domain/errors.js';
import type { AppConfig } from '../node/config.js';

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
export function configFrom(command: Command): Partial<AppConfig> {
  const value = (command.optsWithGlobals() as { timeout?: unknown }).timeout;
  return typeof value === 'string' ? { keychainTimeoutMs: parseTimeoutSeconds(value) } : {};
}

/** For repeatable options (`--tag a --tag b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** --env-var, repeatable --tag and --notes, as the vault takes them. */
export function labelsFrom(opts: Record<string, unknown>): { envVar?: string; tags?: string[]; notes?: string } {
  return {
    ...(typeof opts.envVar === 'string' ? { envVar: opts.envVar } : {}),
    ...(Array.isArray(opts.tag) ? { tags: opts.tag.map(String) } : {}),
    ...(typeof opts.notes === 'string' ? { notes: opts.notes } : {}),
  };
}

/** A whole number of at most `digits` digits, for flags such as --bits, --bytes and --limit. */
export function parseCount(text: unknown, flag: string, digits = 6): number | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  if (!new RegExp(`^[0-9]{1,${digits}}$`).test(s))
    throw new KeyturnError('usage', `${flag} takes a whole number (got ${JSON.stringify(s.slice(0, 20))}).`);
  return Number(s);
}

/** `--version 2` or `--version v2`. */
export function parseVersion(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const s = String(text).replace(/^v/, '');
  if (!/^[1-9][0-9]{0,8}$/.test(s))
    throw new KeyturnError('usage', `--version takes a version number such as 2 (got "${String(text).slice(0, 20)}").`);
  return Number(s);
}

/** One of a fixed list, for --format and the like. */
export function parseChoice<T extends string>(text: unknown, flag: string, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  if (!(choices as readonly string[]).includes(s))
    throw new KeyturnError('usage', `${flag} takes ${choices.join(', ')} (got "${s.slice(0, 20)}").`);
  return s as T;
}

/** The option's value when it is a string. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
