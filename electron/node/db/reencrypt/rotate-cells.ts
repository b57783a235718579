// The per-cell decision, the same in the crypto workers and (for the few rows retried after a concurrent write) on the
// main thread: NULL and empty left alone, tokens the new key opens left alone, older tokens rotated, the rest poison.
import type { FernetKeyRing } from '../../crypto/fernet-key-ring.js';
import { CELL, type CellCode } from './token-cells.js';

export interface CellResults {
  codes: Uint8Array;
  /** For CELL.older: which key of the ring opened it (1 = the first old key). */
  from: Uint8Array;
  /** For CELL.older in rotate mode: the new token; null elsewhere. */
  tokens: (string | null)[];
}

export type CellMode = 'rotate' | 'identify';

export function processCells(ring: FernetKeyRing, texts: (string | null)[], mode: CellMode): CellResults {
  const codes = new Uint8Array(texts.length);
  const from = new Uint8Array(texts.length);
  const tokens: (string | null)[] = new Array<string | null>(texts.length).fill(null);
  for (let i = 0; i < texts.length; i += 1) {
    const text = texts[i];
    let code: CellCode;
    if (text === null || text === undefined) code = CELL.null;
    else if (text === '') code = CELL.empty;
    else if (mode === 'identify') {
      const index = ring.identify(text);
      code = index === 0 ? CELL.current : index > 0 ? CELL.older : CELL.poison;
      if (index > 0) from[i] = index;
    } else {
      const outcome = ring.rotate(text);
      if (outcome.kind === 'current') code = CELL.current;
      else if (outcome.kind === 'poison') code = CELL.poison;
      else {
        code = CELL.older;
        from[i] = outcome.from;
        tokens[i] = outcome.token;
      }
    }
    codes[i] = code;
  }
  return { codes, from, tokens };
}
