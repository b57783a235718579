// Token lifetimes read from .env files (JWT_EXPIRE_MINUTES, REFRESH_TOKEN_EXPIRE_DAYS, ...) and the overlap window they set.
import type { KeyKind } from '../domain/key-kinds.js';
import { DAY_MS, HOUR_MS, describeDuration, parsePolicyDuration } from './durations.js';
import type { EnvFileFacts, OverlapWindow } from './types.js';

const UNIT_MS: Record<string, number> = { SECONDS: 1000, SECS: 1000, MINUTES: 60_000, MINS: 60_000, HOURS: HOUR_MS, DAYS: DAY_MS };
const LIFETIME_NAME = /^[A-Z][A-Z0-9_]*_(SECONDS|SECS|MINUTES|MINS|HOURS|DAYS)$/;
const LIFETIME_WORD = /(EXPIRE|EXPIRY|EXPIRES|EXPIRATION|LIFETIME|TTL|TIMEOUT|MAX_AGE)/;
const TOKEN_WORD = /(TOKEN|JWT|ACCESS|REFRESH)/;
const SESSION_WORD = /(SESSION|CSRF|COOKIE)/;

/** `--overlap 0` (or 0h, 0d, 0w): the user knows nothing outside the verified data uses the old key. */
const NO_OVERLAP = /^0[hdw]?$/;

/** Longest lifetime believed: a larger figure is a typo, and an overlap of years would keep an old key alive for years. */
const MAX_LIFETIME_MS = 366 * DAY_MS;

export type LifetimeFamily = 'token' | 'session';

/** Whether a variable names a token or session lifetime, and which; the service reads only these values from a file. */
export function lifetimeFamily(variable: string): LifetimeFamily | null {
  if (!LIFETIME_NAME.test(variable) || !LIFETIME_WORD.test(variable)) return null;
  if (TOKEN_WORD.test(variable)) return 'token';
  if (SESSION_WORD.test(variable)) return 'session';
  return null;
}

/** Milliseconds of `JWT_EXPIRE_MINUTES=15`; null when the name carries no unit or the figure is out of range. */
export function lifetimeMs(variable: string, value: number): number | null {
  const unit = LIFETIME_NAME.exec(variable)?.[1];
  if (!unit || !Number.isInteger(value) || value <= 0) return null;
  const ms = value * UNIT_MS[unit]!;
  return ms <= MAX_LIFETIME_MS ? ms : null;
}

/** Defaults when no lifetime is known, with the reason the runbook gives. */
const DEFAULT_OVERLAP: Record<KeyKind, { ms: number; reason: string }> = {
  fernet: {
    ms: 7 * DAY_MS,
    reason:
      'default for Fernet keys: every stored row is verified under the new key before this, so the old version is kept one more week only for tokens held outside the database (caches, queues, exports)',
  },
  secret: {
    ms: DAY_MS,
    reason: 'default for session secrets: the old version is kept one day so the switch can be undone while problems surface',
  },
  'jwt-hmac': {
    ms: DAY_MS,
    reason: 'no token lifetime was found in the .env files; pass the application\u2019s .env with --env-file, or set --overlap',
  },
  'jwt-rsa': {
    ms: DAY_MS,
    reason: 'no token lifetime was found in the .env files; pass the application\u2019s .env with --env-file, or set --overlap',
  },
  'jwt-ec': {
    ms: DAY_MS,
    reason: 'no token lifetime was found in the .env files; pass the application\u2019s .env with --env-file, or set --overlap',
  },
  'jwt-ed25519': {
    ms: DAY_MS,
    reason: 'no token lifetime was found in the .env files; pass the application\u2019s .env with --env-file, or set --overlap',
  },
};

/** The lifetimes that bound how long a token or session made with the old key stays valid. */
function familyFor(kind: KeyKind): LifetimeFamily | null {
  if (kind === 'fernet') return null;
  return kind === 'secret' ? 'session' : 'token';
}

/**
 * The overlap window: how long the old version must still be accepted after the new one signs. For JWT keys it is the
 * longest token lifetime in the .env files (a refresh token signed a minute before the switch stays valid that long).
 */
export function overlapFor(kind: KeyKind, envFiles: EnvFileFacts[], override?: string): OverlapWindow {
  if (override !== undefined) {
    if (NO_OVERLAP.test(override.trim())) {
      return {
        ms: 0,
        basis: ['set with --overlap 0: no overlap; the old version is retired as soon as the new one is deployed alone'],
        source: 'override',
      };
    }
    const ms = parsePolicyDuration(override, '--overlap');
    return { ms, basis: [`set with --overlap: ${describeDuration(ms)}`], source: 'override' };
  }
  const family = familyFor(kind);
  const found: { line: string; ms: number }[] = [];
  if (family) {
    for (const file of envFiles) {
      for (const fact of file.lifetimes) {
        if (lifetimeFamily(fact.variable) !== family) continue;
        const ms = lifetimeMs(fact.variable, fact.value);
        if (ms !== null) found.push({ line: `${fact.variable}=${fact.value} (${file.path}) = ${describeDuration(ms)}`, ms });
      }
    }
  }
  if (found.length === 0) {
    const fallback = DEFAULT_OVERLAP[kind];
    return { ms: fallback.ms, basis: [`${describeDuration(fallback.ms)}: ${fallback.reason}`], source: 'default' };
  }
  const ms = Math.max(...found.map((f) => f.ms));
  const basis = found.map((f) => f.line);
  basis.push(
    found.length > 1 ? `overlap = the longest of these = ${describeDuration(ms)}` : `overlap = this lifetime = ${describeDuration(ms)}`,
  );
  return { ms, basis, source: 'env' };
}
