// Rotation policy durations (`90d`, `14d`, `12h`, `2w`): parsed strictly, in whole hours, days or weeks.
import { KeyturnError } from '../domain/errors.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const UNIT_MS = { h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS } as const;
type Unit = keyof typeof UNIT_MS;

/** Ten years: a longer policy is a typo (a missing unit, an extra digit), not a schedule. */
const MAX_MS = 3650 * DAY_MS;
const POLICY_DURATION = /^([1-9][0-9]{0,5})([hdw])$/;

/**
 * Milliseconds in `90d`, `14d`, `12h` or `2w`. Unlike the .env checker's durations, a bare number is refused: in a
 * policy, `90` is far more likely to mean days than the seconds it would mean there.
 */
export function parsePolicyDuration(text: string, option = 'duration'): number {
  const match = POLICY_DURATION.exec(text.trim());
  if (!match) {
    throw new KeyturnError(
      'invalid-input',
      `${option} takes a whole number of hours, days or weeks such as 12h, 90d or 2w (got ${describeShape(text)}).`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as Unit];
  if (ms > MAX_MS) throw new KeyturnError('invalid-input', `${option} is longer than ten years; write it in days, e.g. 365d.`);
  return ms;
}

/** The shortest exact form of a duration: `2w`, `90d`, `36h`; whole minutes as `15m` (token lifetimes can be minutes). */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % (7 * DAY_MS) === 0) return `${ms / (7 * DAY_MS)}w`;
  if (ms > 0 && ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms > 0 && ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** Words for people: `7 days`, `15 minutes`, `1 day 12 hours`. */
export function describeDuration(ms: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [DAY_MS, 'day'],
    [HOUR_MS, 'hour'],
    [60_000, 'minute'],
  ];
  let rest = ms;
  for (const [size, word] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length > 0 ? parts.join(' ') : `${Math.round(ms / 1000)} seconds`;
}

/** A rejected option is echoed only when it is short and plain; anything else is described (it may be a pasted secret). */
function describeShape(text: string): string {
  if (/^[0-9A-Za-z.]{1,12}$/.test(text)) return `"${text}"`;
  if (text.length === 0) return 'an empty value';
  return `${text.length} characters`;
}
