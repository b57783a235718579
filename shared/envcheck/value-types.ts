// Checks one value against its rule's type and limits; messages give the variable, the rule and at most the value's shape.
import { checkFernetKey, decodeFernetKeyText } from '../formats/fernet-format.js';
import type { EnvFindingFix } from './report.js';
import { isDefaultSecret, weakKeyBytesReason, weakSecretReason, weakUrlPasswordReason } from './strength.js';
import { SECRET_TYPES, type RuleFields, type VarType } from './types.js';
import { describeValue, utf8Length } from './value-mask.js';

export interface ValueProblem {
  code: 'invalid-format' | 'weak-value';
  severity: 'error' | 'warning';
  message: string;
  fix?: EnvFindingFix;
}

export interface TypedRule extends RuleFields {
  name: string;
  type: VarType;
}

/** Minimum secret lengths when a rule gives none: HS256 needs a 32-byte key; other secrets 16 characters. */
export const JWT_SECRET_MIN_BYTES = 32;
export const SECRET_MIN_LENGTH = 16;

const BOOL_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no', '1', 'on', 't', 'true', 'y', 'yes']);
const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const ISO_DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
/** Schemes whose URLs name a host; a `sqlite:` or `file:` URL does not. */
const HOSTLESS_SCHEMES = /^(?:sqlite|file|unix)/;

function generateFix(type: VarType, regenerate: boolean): EnvFindingFix {
  return { action: regenerate ? 'regenerate' : 'generate', type };
}

/** Numbers, durations and booleans of a setting that is no secret, in the plain shapes a port or a size has. */
const PLAIN_SETTING = /^(?:[+-]?\d{1,15}|(?:\d{1,9}(?:\.\d{1,6})?(?:ms|s|m|h|d|w)){1,4}|P[0-9YMWDTHS.]{1,20}|true|false|yes|no|on|off)$/i;

/**
 * A port or a size may be shown as it is ("must be at most 65535 (value: 70000)"): it is no secret and it is what the
 * user needs to see. Anything else, and anything in a variable that could hold a secret, is only described.
 */
export function showValue(rule: TypedRule, value: string): string {
  // TOKEN_TTL and ACCESS_TOKEN_EXPIRE_MINUTES are settings; a numeric PIN or password is not, whatever its type says.
  const setting =
    (rule.type === 'int' || rule.type === 'duration' || rule.type === 'bool') &&
    !rule.secret &&
    !/PASSWORD|PASSWD|PASSCODE|SECRET|PRIVATE|(?:^|_)PIN(?:_|$)/i.test(rule.name);
  return setting && PLAIN_SETTING.test(value.trim()) ? value.trim() : describeValue(value);
}

function invalid(rule: TypedRule, what: string, value: string, fix?: EnvFindingFix): ValueProblem {
  const p: ValueProblem = {
    code: 'invalid-format',
    severity: 'error',
    message: `${rule.name} ${what} (value: ${showValue(rule, value)}).`,
  };
  if (fix) p.fix = fix;
  return p;
}

/** A weak secret is replaced by a generated one; a weak password inside a URL or connection string is changed at its server. */
function weak(rule: TypedRule, why: string, value: string, severity: 'error' | 'warning' = 'error'): ValueProblem {
  const generated = SECRET_TYPES.has(rule.type);
  return {
    code: 'weak-value',
    severity,
    message: `${rule.name} ${why} (value: ${describeValue(value)}); ${generated ? 'generate a fresh value' : 'change the password at the server, then here'}.`,
    fix: generated ? generateFix(rule.type, true) : { action: 'edit' },
  };
}

/** Seconds in a duration written as `90`, `15m`, `1h30m`, `250ms` or ISO 8601 `PT15M`; null when it is none of these. */
export function parseDuration(value: string): number | null {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/.test(v)) {
    let total = 0;
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    return total;
  }
  const iso = ISO_DURATION.exec(v);
  if (iso) {
    const [, y, mo, w, d, h, mi, s] = iso.map((x) => (x === undefined ? 0 : Number(x)));
    return y! * 31536000 + mo! * 2592000 + w! * 604800 + d! * 86400 + h! * 3600 + mi! * 60 + s!;
  }
  return null;
}

function checkRange(rule: TypedRule, n: number, value: string, unit = ''): ValueProblem | null {
  if (rule.min !== undefined && n < rule.min) return invalid(rule, `must be at least ${rule.min}${unit}`, value, { action: 'edit' });
  if (rule.max !== undefined && n > rule.max) return invalid(rule, `must be at most ${rule.max}${unit}`, value, { action: 'edit' });
  return null;
}

function checkUrl(rule: TypedRule, value: string): ValueProblem | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (!scheme) return invalid(rule, 'is not a URL (it has no scheme such as postgresql://)', value, { action: 'edit' });
  const allowed = rule.schemes?.map((s) => s.toLowerCase());
  if (allowed && allowed.length > 0 && !allowed.includes(scheme)) {
    const sqlite = scheme.startsWith('sqlite');
    const why = rule.schemeNote ? `; ${rule.schemeNote}` : '';
    const lead = sqlite
      ? `uses SQLite, but only ${allowed.join(', ')} are allowed here${why}`
      : `uses ${/^[a-z][a-z0-9+.-]{0,23}$/.test(value.slice(0, scheme.length)) ? `the scheme ${scheme}` : 'another scheme'}, but only ${allowed.join(', ')} are allowed${why}`;
    return invalid(rule, lead, value, { action: 'edit' });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(rule, 'is not a valid URL (check the port, and percent-encode special characters in the password)', value, {
      action: 'edit',
    });
  }
  if (!HOSTLESS_SCHEMES.test(scheme) && url.hostname === '') return invalid(rule, 'has no host name', value, { action: 'edit' });
  if (url.password !== '') {
    const why = weakUrlPasswordReason(safeDecode(url.username), safeDecode(url.password));
    if (why) return weak(rule, `is a URL whose ${why.replace(/^its /, '')}`, value, 'warning');
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A secret string such as a .NET connection string (`Host=..;Password=..`) or a URL with credentials: random-looking
 * is not expected of the whole text, so only its password part and well-known defaults are judged.
 */
function checkSecretString(rule: TypedRule, value: string): ValueProblem | null {
  if (isDefaultSecret(value)) return weak(rule, 'is a well-known default, not a secret', value);
  const pairs = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const password = pairs.get('password') ?? pairs.get('pwd');
  if (password !== undefined) {
    if (password === '') return weak(rule, 'is a connection string with an empty password', value);
    const why = weakUrlPasswordReason(pairs.get('username') ?? pairs.get('user id') ?? pairs.get('uid') ?? '', password);
    return why ? weak(rule, `is a connection string whose ${why.replace(/^its /, '')}`, value) : null;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    try {
      const url = new URL(value);
      const why = url.password !== '' ? weakUrlPasswordReason(safeDecode(url.username), safeDecode(url.password)) : null;
      return why ? weak(rule, `is a URL whose ${why.replace(/^its /, '')}`, value) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function checkFernet(rule: TypedRule, value: string, label = ''): ValueProblem | null {
  const verdict = checkFernetKey(value);
  if (!verdict.ok)
    return invalid(rule, `${label}is not a key Python's Fernet() accepts: ${verdict.reason}`, value, generateFix(rule.type, true));
  const decoded = decodeFernetKeyText(value);
  const why = (decoded.ok ? weakKeyBytesReason(decoded.key) : null) ?? weakSecretReason(value, 0);
  return why ? weak(rule, `${label}${why}`, value) : null;
}

/** The first problem with this value for its rule, or null. Empty values and placeholders are handled by the caller. */
export function checkValue(rule: TypedRule, value: string): ValueProblem | null {
  if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`, 'u').test(value)) {
    return invalid(rule, `does not match the pattern ${rule.pattern}`, value, { action: 'edit' });
  }
  switch (rule.type) {
    case 'string': {
      const n = [...value].length;
      if (rule.min !== undefined && n < rule.min)
        return invalid(rule, `must be at least ${rule.min} characters long`, value, { action: 'edit' });
      if (rule.max !== undefined && n > rule.max)
        return invalid(rule, `must be at most ${rule.max} characters long`, value, { action: 'edit' });
      return rule.secret ? checkSecretString(rule, value) : null;
    }
    case 'secret': {
      if (isDefaultSecret(value)) return weak(rule, 'is a well-known default, not a secret', value);
      if (rule.max !== undefined && [...value].length > rule.max)
        return invalid(rule, `must be at most ${rule.max} characters long`, value, { action: 'edit' });
      const why = weakSecretReason(value, rule.min ?? SECRET_MIN_LENGTH);
      return why ? weak(rule, why, value) : null;
    }
    case 'jwt-secret': {
      if (isDefaultSecret(value)) return weak(rule, 'is a well-known default, not a secret', value);
      const min = Math.max(JWT_SECRET_MIN_BYTES, rule.min ?? 0);
      const bytes = utf8Length(value);
      if (bytes < min) return weak(rule, `is too short for a JWT HMAC key (${bytes} bytes; at least ${min} are needed)`, value);
      const why = weakSecretReason(value, 0);
      return why ? weak(rule, why, value) : null;
    }
    case 'fernet-key':
      return checkFernet(rule, value);
    case 'fernet-keys': {
      const keys = value.split(',');
      for (let i = 0; i < keys.length; i += 1) {
        const label = keys.length > 1 ? `(key ${i + 1} of ${keys.length}) ` : '';
        if (keys[i] === '')
          return invalid(rule, `${label}is empty: a MultiFernet list is keys separated by single commas`, value, { action: 'edit' });
        const problem = checkFernet(rule, keys[i]!, label);
        if (problem) return problem;
      }
      return null;
    }
    case 'url':
      return checkUrl(rule, value);
    case 'int': {
      if (!/^[+-]?\d+$/.test(value.trim())) return invalid(rule, 'is not a whole number', value, { action: 'edit' });
      return checkRange(rule, Number(value.trim()), value);
    }
    case 'bool':
      return BOOL_WORDS.has(value.trim().toLowerCase())
        ? null
        : invalid(rule, 'is not a boolean (use true or false)', value, { action: 'edit' });
    case 'enum': {
      const values = rule.values ?? [];
      if (values.includes(value)) return null;
      const caseOnly = values.find((v) => v.toLowerCase() === value.toLowerCase());
      const hint = caseOnly ? `; it matches ${caseOnly} except for letter case` : '';
      return invalid(rule, `must be one of ${values.join(', ')}${hint}`, value, { action: 'edit' });
    }
    case 'email':
      return value.length <= 254 && /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(value)
        ? null
        : invalid(rule, 'is not an e-mail address', value, { action: 'edit' });
    case 'duration': {
      const seconds = parseDuration(value);
      if (seconds === null) return invalid(rule, 'is not a duration (write 900, 15m, 1h30m or PT15M)', value, { action: 'edit' });
      return checkRange(rule, seconds, value, ' seconds');
    }
  }
}
