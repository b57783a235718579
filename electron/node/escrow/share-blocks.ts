// Several shares pasted or piped at once (`--share -`, the restore wizard's text box): blocks separated by blank lines,
// and within a block, one share per line when every line is a whole share (people paste them one per line too).
import { SHARE_TEXT_CHARS } from './share-codec.js';

const ARMOR = /-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/g;

/** Characters that count towards a share on one line (sheet line numbers, spaces and dashes do not). */
function shareChars(line: string): number {
  return line.replace(/^\s*\d{1,2}\s{2,}/, '').replace(/[\s\-–—_.]+/g, '').length;
}

export function splitShareText(text: string): string[] {
  // Encrypted shares are blocks of their own, whatever the blank lines around them.
  const armored = text.match(ARMOR) ?? [];
  const rest = text.replace(ARMOR, '\n\n');
  const blocks = rest
    .split(/\r?\n\s*\r?\n/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  const out: string[] = [];
  for (const block of blocks) {
    const lines = block.split(/\r?\n/).filter((l) => l.trim().length > 0);
    if (lines.length > 1 && lines.every((l) => shareChars(l) === SHARE_TEXT_CHARS)) out.push(...lines.map((l) => l.trim()));
    else out.push(block);
  }
  return [...out, ...armored];
}
