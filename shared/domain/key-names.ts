// Key names and their keychain account form `<name>@v<version>`.
import { KeyturnError } from './errors.js';

export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertKeyName(name: string): string {
  if (!KEY_NAME_PATTERN.test(name)) {
    throw new KeyturnError(
      'invalid-name',
      `"${name.slice(0, 40)}" is not a valid key name: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
  return name;
}

export function accountFor(name: string, version: number): string {
  return `${name}@v${version}`;
}

/** A key, and optionally one of its versions (default: the current one). */
export interface KeyRef {
  name: string;
  version?: number;
}

/** Parse `name` or `name@vN`; version is undefined when not given. */
export function parseKeyRef(ref: string): KeyRef {
  const match = /^(.*)@v([1-9][0-9]{0,8})$/.exec(ref);
  if (match) return { name: assertKeyName(match[1]!), version: Number(match[2]) };
  return { name: assertKeyName(ref) };
}
