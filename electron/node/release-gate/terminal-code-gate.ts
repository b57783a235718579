// `keyturn serve`'s release gate: the page asks, the server prints a one-time code on the terminal it runs in, and
// the user types that code into the page. A script in the page sees the challenge but never the terminal.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { ReleaseChallenge, ReleaseConfirmation } from '../../../shared/domain/release.js';
import { describeRelease, type ReleaseGate, type ReleaseRequest } from './release-gate.js';

export interface TerminalCodeGateOptions {
  /** Writes one line to the terminal where `keyturn serve` runs (its stderr). */
  announce: (line: string) => void;
  /** How long a code stays valid (default 2 minutes). */
  ttlMs?: number;
  now?: () => number;
}

interface Pending {
  request: ReleaseRequest;
  code: string;
  expires: number;
}

/** 8 digits: with one attempt per code and the rate limit below, guessing takes years of terminal spam. */
const CODE_DIGITS = 8;
/** Codes open at once, and codes made per minute: enough for a person, too few to guess with. */
const MAX_OPEN = 4;
const MAX_PER_MINUTE = 12;

function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** Spaces and dashes as the user may type them are ignored; the comparison takes the same time wherever it differs. */
function sameCode(typed: string, code: string): boolean {
  const digits = typed.replace(/[\s-]/g, '');
  return /^[0-9]+$/.test(digits) && digits.length === code.length && timingSafeEqual(Buffer.from(digits), Buffer.from(code));
}

export function createTerminalCodeGate(options: TerminalCodeGateOptions): ReleaseGate {
  const ttlMs = options.ttlMs ?? 120_000;
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();
  const issued: number[] = [];

  const sweep = (): void => {
    const t = now();
    for (const [id, p] of pending) if (p.expires <= t) pending.delete(id);
    while (issued.length > 0 && issued[0]! <= t - 60_000) issued.shift();
  };

  function challenge(request: ReleaseRequest): never {
    sweep();
    if (pending.size >= MAX_OPEN || issued.length >= MAX_PER_MINUTE) {
      throw new KeyturnError(
        'refused',
        'Too many confirmation codes were asked for just now; wait a minute and try again. Nothing was let out.',
      );
    }
    const id = randomBytes(18).toString('base64url');
    const code = newCode();
    pending.set(id, { request, code, expires: now() + ttlMs });
    issued.push(now());
    const shown = `${code.slice(0, 4)} ${code.slice(4)}`;
    const minutes = Math.round(ttlMs / 60_000);
    options.announce(
      `keyturn: the page asks to ${describeRelease(request)}. To allow it, type ${shown} in the page (once, within ${minutes} minute${minutes === 1 ? '' : 's'}). If you did not ask for this, do not type it.\n`,
    );
    const details: ReleaseChallenge = { challenge: id, via: 'terminal-code', subject: describeRelease(request), expiresInMs: ttlMs };
    throw new KeyturnError(
      'confirmation-required',
      `To ${describeRelease(request)}, type the code that keyturn serve printed in its terminal.`,
      details as unknown as Record<string, unknown>,
    );
  }

  return {
    async confirm(request: ReleaseRequest, proof: ReleaseConfirmation | undefined) {
      if (!proof) challenge(request);
      sweep();
      const entry = pending.get(proof.challenge);
      // One attempt per code: right or wrong, it is gone.
      pending.delete(proof.challenge);
      if (!entry) throw new KeyturnError('refused', 'That confirmation code has expired or was already used; ask again for a new one.');
      if (entry.request.action !== request.action || entry.request.target !== request.target)
        throw new KeyturnError('refused', 'That confirmation code was for something else; ask again for a new one.');
      if (!sameCode(proof.code, entry.code))
        throw new KeyturnError('refused', 'The code does not match the one keyturn serve printed; ask again for a new one.');
    },
  };
}
