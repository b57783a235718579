// Decides whether a request may reach the web host at all: loopback Host (DNS-rebinding safe), same Origin, session token.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** A fresh 256-bit session token, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Host must be exactly 127.0.0.1:PORT: a DNS-rebinding page reaches us under its own name, so any other Host
 * (localhost included, which a rebinding attacker can also name) is refused.
 */
export function checkHost(host: string | undefined, port: number): GuardVerdict {
  // Browsers leave the default port out of Host and Origin.
  if (host === `127.0.0.1:${port}` || (port === 80 && host === '127.0.0.1')) return { ok: true };
  return { ok: false, status: 403, reason: 'Host header is not this Keyturn session' };
}

/** Browsers send Origin on cross-site and on POST requests; when present it must be this server. */
export function checkOrigin(origin: string | undefined, port: number): GuardVerdict {
  if (origin === undefined || origin === `http://127.0.0.1:${port}` || (port === 80 && origin === 'http://127.0.0.1')) return { ok: true };
  return { ok: false, status: 403, reason: 'Origin is not this Keyturn session' };
}

/** Bearer token check in constant time (hashes first, so lengths never leak through timing). */
export function checkToken(authorization: string | undefined, token: string): GuardVerdict {
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(authorization ?? '');
  if (!match) return { ok: false, status: 401, reason: 'a session token is required' };
  const given = createHash('sha256').update(match[1]!).digest();
  const expected = createHash('sha256').update(token).digest();
  if (!timingSafeEqual(given, expected)) return { ok: false, status: 401, reason: 'the session token is not valid' };
  return { ok: true };
}
