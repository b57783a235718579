// Placeholder and weak-secret detection. Reasons describe the problem, never the characters of the value.

const PLACEHOLDER_TESTS: { re: RegExp; reason: string }[] = [
  { re: /^<[^<>]*>$/, reason: 'is a placeholder in angle brackets' },
  { re: /^\[[A-Za-z][A-Za-z _-]*\]$/, reason: 'is a placeholder in square brackets' },
  { re: /^\{\{.*\}\}$/, reason: 'is an unfilled template placeholder' },
  { re: /^your(?:[-_ .]|[A-Z])/i, reason: 'is a placeholder that starts with "your"' },
  { re: /[-_ .]here$/i, reason: 'is a placeholder that ends with "here"' },
  { re: /(?:change|replace)[-_ .]?(?:me|it|this)/i, reason: 'is a "change me" placeholder' },
  { re: /(?:^|[^a-z])(?:todo|fixme|tbd)(?:[^a-z]|$)/i, reason: 'is a TODO placeholder' },
  { re: /^(?:x{3,}|\*{3,}|\.{3,}|-{3,}|_{3,}|…)$/i, reason: 'is a filler placeholder' },
];

/** Why this value is a documentation placeholder rather than a real value, or null. Applies to every variable. */
export function placeholderReason(value: string): string | null {
  const v = value.trim();
  for (const t of PLACEHOLDER_TESTS) if (t.re.test(v)) return t.reason;
  return null;
}

/** Values that only ever appear as defaults or examples for secrets (whole-value match, case-insensitive). */
const DEFAULT_SECRETS = new Set([
  'secret',
  'secretkey',
  'secret-key',
  'secret_key',
  'password',
  'passwd',
  'changeme',
  'changeit',
  'example',
  'sample',
  'placeholder',
  'dummy',
  'test',
  'testing',
  'default',
  'none',
  'null',
  'undefined',
  'key',
  'token',
  'admin',
  'root',
  'insecure',
  'production-secret-key',
  'supersecret',
  'super-secret',
]);

export function isDefaultSecret(value: string): boolean {
  return DEFAULT_SECRETS.has(value.trim().toLowerCase());
}

/** Words whose presence means a person typed the value; six letters or more so random keys essentially never match. */
const WEAK_WORDS =
  /secret|passw(?:or|0r)d|changeme|example|sample|default|insecure|placeholder|qwerty|letmein|production|development|staging/i;

/** Seven in a row: long enough that a random 43-character key contains one with odds below one in a million. */
const RUN = 7;
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'abcdefghijklmnopqrstuvwxyz'];

/** Shannon entropy of the value's own character distribution, in bits per character. */
export function bitsPerChar(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function shortestPeriod(value: string): number {
  const n = value.length;
  for (let p = 1; p <= n / 2; p += 1) {
    if (n % p !== 0) continue;
    if (value.slice(0, p).repeat(n / p) === value) return p;
  }
  return n;
}

function hasRun(value: string): boolean {
  const lower = value.toLowerCase();
  for (const row of KEYBOARD_ROWS) {
    for (let i = 0; i + RUN <= row.length; i += 1) {
      const piece = row.slice(i, i + RUN);
      if (lower.includes(piece) || lower.includes([...piece].reverse().join(''))) return true;
    }
  }
  return false;
}

/**
 * Why a secret of this text is weak, or null. `minLength` counts characters (callers that need bytes check first).
 * Random values from a CSPRNG pass: the thresholds sit far below what 16+ random characters produce.
 */
export function weakSecretReason(value: string, minLength: number): string | null {
  const length = [...value].length;
  if (isDefaultSecret(value)) return 'is a well-known default, not a secret';
  if (length < minLength) return `is too short (${length} characters; at least ${minLength} are needed)`;
  if (shortestPeriod(value) < length) return 'repeats a short pattern';
  const distinct = new Set(value).size;
  if (distinct <= 4 || (length >= 16 && bitsPerChar(value) < 2.5)) return 'has low entropy (very few distinct characters)';
  if (WEAK_WORDS.test(value)) return 'is made of words, not random characters';
  if (hasRun(value)) return 'contains a keyboard or alphabet run';
  return null;
}

/** Why key bytes (e.g. a decoded Fernet key) are weak, or null: random 32-byte keys have ~30 distinct bytes. */
export function weakKeyBytesReason(bytes: Uint8Array): string | null {
  if (bytes.length >= 16 && new Set(bytes).size < bytes.length / 2) return 'decodes to bytes with little variety (not randomly generated)';
  return null;
}

/** Passwords inside URLs that ship as defaults with databases and tutorials. */
const DEFAULT_URL_PASSWORDS = new Set([
  'postgres',
  'password',
  'pass',
  'root',
  'admin',
  'changeme',
  'secret',
  'mysql',
  'test',
  'user',
  'example',
  '123456',
  'redis',
]);

export function weakUrlPasswordReason(user: string, password: string): string | null {
  const p = password.toLowerCase();
  if (DEFAULT_URL_PASSWORDS.has(p)) return 'its password is a well-known default';
  if (user !== '' && p === user.toLowerCase()) return 'its password equals its user name';
  if (placeholderReason(password)) return 'its password is a placeholder';
  return null;
}
