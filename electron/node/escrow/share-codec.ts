// One escrow share as bytes and as the text a custodian types back: 16 groups of 5 base32 characters, each followed by
// a check character, over a payload that carries the bundle id, set, index, k-of-n and a checksum of its own.
import { createHash } from 'node:crypto';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { crockfordValue, decodeCrockford, encodeCrockford, groupCheck } from './crockford-base32.js';

/** The secret a set splits: the 32-byte X25519 scalar of the bundle's age identity. */
export const SECRET_BYTES = 32;
/** A Shamir share as shamir-secret-sharing makes it: one y byte per secret byte, then the x coordinate. */
export const SHARE_DATA_BYTES = SECRET_BYTES + 1;
export const BUNDLE_ID_BYTES = 5;

const FORMAT = 1;
const HEADER_BYTES = 1 + BUNDLE_ID_BYTES + 4; // format, bundle id, set, index, threshold, shares
const CHECKSUM_BYTES = 7; // sized so the payload is exactly 16 groups of 25 bits
const PAYLOAD_BYTES = HEADER_BYTES + SHARE_DATA_BYTES + CHECKSUM_BYTES;
export const GROUP_CHARS = 5;
export const GROUPS = (PAYLOAD_BYTES * 8) / (GROUP_CHARS * 5);
/** Characters of a share without separators: every group plus its check character. */
export const SHARE_TEXT_CHARS = GROUPS * (GROUP_CHARS + 1);
const CHECKSUM_DOMAIN = 'keyturn-escrow-share-v1\0';

export interface EscrowShare {
  /** 8 base32 characters naming the bundle (its 40-bit id). */
  bundleId: string;
  /** Which share set of the bundle this is; a rekey makes the next one and voids the last. */
  set: number;
  /** The custodian's position in the set, 1..shares. */
  index: number;
  /** k: how many shares restore the bundle. */
  threshold: number;
  /** n: how many shares the set has. */
  shares: number;
  data: Uint8Array;
}

export function bundleIdToBytes(bundleId: string): Uint8Array {
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(bundleId)) throw new KeyturnError('invalid-input', 'A bundle id is 8 base32 characters.');
  return decodeCrockford(bundleId, BUNDLE_ID_BYTES);
}

export function bundleIdFromBytes(bytes: Uint8Array): string {
  return encodeCrockford(bytes.subarray(0, BUNDLE_ID_BYTES));
}

function checksum(body: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(CHECKSUM_DOMAIN).update(body).digest().subarray(0, CHECKSUM_BYTES));
}

/** Range checks shared by encoding and decoding, so a share that encodes also decodes. */
function headerProblem(s: Omit<EscrowShare, 'data' | 'bundleId'>): string | undefined {
  if (!(s.shares >= 2 && s.shares <= 255)) return 'its share count is outside 2-255';
  if (!(s.threshold >= 2 && s.threshold <= s.shares)) return 'its threshold is not between 2 and its share count';
  if (!(s.index >= 1 && s.index <= s.shares)) return 'its index is not between 1 and its share count';
  if (!(s.set >= 1 && s.set <= 255)) return 'its set number is outside 1-255';
  return undefined;
}

export function shareToBytes(share: EscrowShare): Uint8Array {
  const problem = headerProblem(share);
  if (problem) throw new KeyturnError('internal', `Cannot encode a share: ${problem}.`);
  if (share.data.length !== SHARE_DATA_BYTES) throw new KeyturnError('internal', 'Cannot encode a share of the wrong length.');
  const payload = new Uint8Array(PAYLOAD_BYTES);
  payload[0] = FORMAT;
  payload.set(bundleIdToBytes(share.bundleId), 1);
  payload.set([share.set, share.index, share.threshold, share.shares], 1 + BUNDLE_ID_BYTES);
  payload.set(share.data, HEADER_BYTES);
  const body = payload.subarray(0, HEADER_BYTES + SHARE_DATA_BYTES);
  payload.set(checksum(body), body.length);
  return payload;
}

/** The canonical text: groups of 5 characters plus their check, joined by "-" (also what the QR code holds). */
export function encodeShare(share: EscrowShare): string {
  const chars = encodeCrockford(shareToBytes(share));
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g += 1) {
    const group = chars.slice(g * GROUP_CHARS, (g + 1) * GROUP_CHARS);
    groups.push(group + groupCheck(g, group));
  }
  return groups.join('-');
}

/** The text laid out for paper: numbered lines of four groups. */
export function shareLines(text: string): string[] {
  const groups = text.split('-');
  const lines: string[] = [];
  for (let i = 0; i < groups.length; i += 4) lines.push(`${String(i / 4 + 1).padStart(2)}  ${groups.slice(i, i + 4).join(' ')}`);
  return lines;
}

function invalid(message: string, details?: Record<string, unknown>): KeyturnError {
  return new KeyturnError('invalid-share', message, details);
}

/**
 * Reads a typed or scanned share. Spaces, dashes, line numbers from a sheet and letter case do not matter. Errors say
 * where the mistake is (which group) and never quote the share.
 */
export function decodeShare(input: string): EscrowShare {
  // Line numbers a person may copy from the sheet ("1  ABCDE1 ...") are dropped with the whitespace.
  const lines = input
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\d{1,2}\s{2,}/, ''))
    .join(' ');
  const chars = lines.replace(/[\s\-–—_.]+/g, '');
  for (let i = 0; i < chars.length; i += 1) {
    if (crockfordValue(chars[i]!) === undefined) {
      throw invalid(
        `Character ${i + 1} (in group ${Math.floor(i / (GROUP_CHARS + 1)) + 1}) is not one a share uses; shares hold only digits and the letters A-Z without U.`,
        { group: Math.floor(i / (GROUP_CHARS + 1)) + 1 },
      );
    }
  }
  if (chars.length !== SHARE_TEXT_CHARS) {
    throw invalid(
      `The share has ${chars.length} characters; a share has ${SHARE_TEXT_CHARS} (${GROUPS} groups of ${GROUP_CHARS + 1}). A group may be missing or typed twice.`,
    );
  }
  const data: string[] = [];
  const badGroups: number[] = [];
  for (let g = 0; g < GROUPS; g += 1) {
    const group = chars.slice(g * (GROUP_CHARS + 1), g * (GROUP_CHARS + 1) + GROUP_CHARS);
    const check = chars[g * (GROUP_CHARS + 1) + GROUP_CHARS]!;
    if (crockfordValue(check) !== crockfordValue(groupCheck(g, group))) badGroups.push(g + 1);
    data.push(group);
  }
  if (badGroups.length > 0) {
    throw invalid(
      `Group${badGroups.length > 1 ? 's' : ''} ${badGroups.join(', ')} of ${GROUPS} ${badGroups.length > 1 ? 'have' : 'has'} a typing error (the check character at the end of the group does not match). Compare ${badGroups.length > 1 ? 'them' : 'it'} with the sheet.`,
      { groups: badGroups },
    );
  }
  const payload = decodeCrockford(data.join(''), PAYLOAD_BYTES);
  const body = payload.subarray(0, HEADER_BYTES + SHARE_DATA_BYTES);
  const expected = checksum(body);
  if (!expected.every((b, i) => b === payload[body.length + i])) {
    throw invalid(
      "The share's checksum does not match although every group checks: groups were typed in the wrong order, or lines of two shares were mixed.",
    );
  }
  if (payload[0] !== FORMAT) throw invalid(`The share is in format ${payload[0]}; this Keyturn reads format ${FORMAT}. Update Keyturn.`);
  const [set, index, threshold, shares] = payload.subarray(1 + BUNDLE_ID_BYTES, HEADER_BYTES);
  const share: EscrowShare = {
    bundleId: bundleIdFromBytes(payload.subarray(1, 1 + BUNDLE_ID_BYTES)),
    set: set!,
    index: index!,
    threshold: threshold!,
    shares: shares!,
    data: new Uint8Array(payload.subarray(HEADER_BYTES, HEADER_BYTES + SHARE_DATA_BYTES)),
  };
  const problem = headerProblem(share);
  if (problem) throw invalid(`The share is not one Keyturn made: ${problem}.`);
  return share;
}
