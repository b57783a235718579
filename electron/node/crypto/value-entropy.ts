// How guessable a secret value is, estimated conservatively: enough to warn on a weak import and to decide whether
// a public (unkeyed) fingerprint of it may exist, since anyone can test guesses against a public one.
import { bitsPerChar, weakSecretReason } from '../../../shared/envcheck/strength.js';

/** Below this many estimated bits a value gets no public fingerprint and a warning on import. */
export const HIGH_ENTROPY_BITS = 100;

/** Letter pairs that make up much of English text: words show many of them, random keys few. */
const COMMON_BIGRAMS = new Set(
  'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur'.split(
    ' ',
  ),
);

/** True when the letters read like words (a passphrase, a name), which guessers try long before random strings. */
function readsLikeWords(value: string): boolean {
  if (alphabet(value) === 16) return false; // hex letters are a-f only, and pair up like words often
  let pairs = 0;
  let common = 0;
  for (const run of value.toLowerCase().match(/[a-z]{2,}/g) ?? []) {
    for (let i = 0; i + 1 < run.length; i += 1) {
      pairs += 1;
      if (COMMON_BIGRAMS.has(run.slice(i, i + 2))) common += 1;
    }
  }
  return pairs >= 4 && common / pairs >= 0.3;
}

/** Size of the alphabet the value seems drawn from: hex, or the character classes it uses. */
function alphabet(value: string): number {
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return 16;
  let size = 0;
  if (/[a-z]/.test(value)) size += 26;
  if (/[A-Z]/.test(value)) size += 26;
  if (/[0-9]/.test(value)) size += 10;
  if (/[!-/:-@[-`{-~]/.test(value)) size += 33;
  if (/[^\x20-\x7e]/.test(value)) size += 100;
  return Math.max(size, 2);
}

/**
 * An upper bound on the value's entropy in bits: length times the bits of its alphabet, held down to 40 for values
 * made of words, defaults, repeats, runs or few distinct characters. Random keys score their full size.
 */
export function estimateEntropyBits(value: string): number {
  const length = [...value].length;
  const bits = Math.floor(length * Math.log2(alphabet(value)));
  if (weakSecretReason(value, 0) !== null || readsLikeWords(value) || (length >= 16 && bitsPerChar(value) < 3)) return Math.min(bits, 40);
  return bits;
}

/** Why a value is too guessable to be a key (a sentence about its shape, never its characters), or null. */
export function lowEntropyReason(value: string): string | null {
  const weak = weakSecretReason(value, 0);
  const length = [...value].length;
  if (weak) return `it ${weak.replace(/^is /, 'is ')}`;
  if (readsLikeWords(value)) return 'it reads like words, which guessers try first';
  const bits = estimateEntropyBits(value);
  if (bits < HIGH_ENTROPY_BITS) return `it is ${length} characters, at most about ${bits} bits of entropy (a generated key has 256)`;
  return null;
}
