// Which names read from a file may appear in findings: a variable name that does not look like key material, or a
// name the rules declare. Anything else (a line of a private key, a pasted token) is described, never repeated.
import { isEnvVarName } from '../domain/env-var-name.js';
import type { EnvEntry } from '../formats/env-file.js';
import { describeValue } from './value-mask.js';

/**
 * True when a name has the shape of random key material rather than words: long and mixing upper case, lower case
 * and digits (base64 lines, `sk_live_...` tokens), a long run of letters and digits (hex), or long mixed case that
 * is not CamelCase. Real variable names (`AzureWebJobsStorage`, `OAUTH2_CLIENT_ID`) are words joined by `_`.
 */
export function looksLikeKeyMaterial(name: string): boolean {
  const letters = name.replace(/[^A-Za-z0-9]/g, '');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/].filter((re) => re.test(letters)).length;
  if (classes === 3 && letters.length >= 16) return true;
  if (name.length > 80) return true;
  for (const segment of name.split(/[_.-]+/)) {
    const digits = segment.replace(/[^0-9]/g, '').length;
    if (segment.length >= 12 && digits >= 2 && /[A-Za-z]/.test(segment)) return true;
    if (segment.length >= 20 && /[A-Z]/.test(segment) && /[a-z]/.test(segment) && !/^[A-Z]?[a-z]+(?:[A-Z][a-z]{2,})*$/.test(segment))
      return true;
    if (segment.length >= 40) return true;
    // Random mixed case breaks into many one- or two-letter pieces where CamelCase has words (acronyms kept whole).
    const pieces = segment.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [];
    if (segment.length >= 12 && pieces.length >= 5 && pieces.filter((p) => p.length <= 2).length / pieces.length >= 0.6) return true;
  }
  return false;
}

/** A name findings may repeat on its own authority: the one env-var name rule, and no look of key material. */
export function isShowableName(name: string): boolean {
  return isEnvVarName(name) && !looksLikeKeyMaterial(name);
}

/** "64 characters: upper-case, lower-case, digits": what a name that is not shown is like. */
export function describeName(name: string): string {
  return describeValue(name);
}

/** A name as findings show it: a byte-order mark before the first name is reported on its own, not repeated. */
export function shownKey(key: string): string {
  return key.replace(/^\ufeff/, '');
}

/**
 * Entries whose name may be repeated in findings: a name the rules declare, or (with an `=`) a name that passes the
 * one variable-name rule and does not look like key material. A bare line (no `=`) is shown only when the rules name
 * it: it is more often part of a pasted key or token than a variable (`.env.example` files, where bare names declare
 * variables, pass `bareNames`). An empty assignment inside a block (after a stray line or an unquoted
 * `-----BEGIN ...`) is that block's last base64 line, whose `=` is padding.
 */
export function splitStrays(
  entries: EnvEntry[],
  /** The names the rules know (a RuleSet fits; typed by shape so this file imports no rule module). */
  rules: { byName: ReadonlyMap<string, unknown>; example: { names: ReadonlySet<string> } | null } | null,
  options: { bareNames?: boolean } = {},
): { variables: EnvEntry[]; strays: EnvEntry[] } {
  const known = (key: string): boolean => rules !== null && (rules.byName.has(key) || rules.example?.names.has(key) === true);
  const variables: EnvEntry[] = [];
  const strays: EnvEntry[] = [];
  const blockLines = new Set<number>();
  for (const entry of entries) {
    const key = shownKey(entry.key);
    const tail = entry.value !== null && /^=*$/.test(entry.value) && blockLines.has(entry.line - 1);
    const ok = known(key) || ((entry.value !== null || options.bareNames === true) && !tail && isShowableName(key));
    if (!ok) strays.push(entry);
    else variables.push(entry);
    if (!ok || (entry.quote === 'none' && entry.value?.startsWith('-----BEGIN ')))
      for (let line = entry.line; line <= entry.endLine; line += 1) blockLines.add(line);
  }
  return { variables, strays };
}
