// Crockford base32 for text people type back from paper: no I, L, O or U to confuse, case-insensitive, and a Luhn mod 32
// check character that catches every single mistyped character in a group (and most swaps of neighbours).
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const VALUES = new Map<string, number>();
for (let i = 0; i < CROCKFORD_ALPHABET.length; i += 1) VALUES.set(CROCKFORD_ALPHABET[i]!, i);
// Letters people write for the digits they resemble, as Crockford's decoding rules allow.
for (const [alias, digit] of [
  ['O', 0],
  ['I', 1],
  ['L', 1],
] as const)
  VALUES.set(alias, digit);

/** The value of one character (either case, aliases included), or undefined when it is not base32. */
export function crockfordValue(char: string): number | undefined {
  return VALUES.get(char.toUpperCase());
}

/** Bytes to characters, 5 bits each, most significant first; the last character is padded with zero bits. */
export function encodeCrockford(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Characters (already checked to be base32) back to `length` bytes. */
export function decodeCrockford(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const char of text) {
    const value = crockfordValue(char);
    if (value === undefined) throw new RangeError('not a base32 character');
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      if (at < length) out[at] = (buffer >>> (bits - 8)) & 0xff;
      at += 1;
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/**
 * Luhn mod 32 over the group's position and its characters: a single wrong character always changes the check, and a
 * group typed in the wrong place does too. Doubling mod 32 with the carry folded back is a permutation of 0..31, which
 * is what makes every single substitution visible.
 */
export function groupCheck(position: number, group: string): string {
  const values = [position % 32, ...[...group].map((c) => crockfordValue(c) ?? 0)];
  let factor = 2;
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const addend = factor * values[i]!;
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return CROCKFORD_ALPHABET[(32 - (sum % 32)) % 32]!;
}
