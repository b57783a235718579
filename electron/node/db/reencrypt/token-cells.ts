// Stored cells as Fernet token text and back: text columns hold the token as a string, bytea/BLOB columns its ASCII
// bytes (Python's `Fernet.encrypt` returns bytes, which SQLAlchemy's LargeBinary stores as they are).
import type { CellValue } from '../pii-store.js';

/** Outcome of one cell, as the crypto workers report it. */
export const CELL = { null: 0, empty: 1, current: 2, older: 3, poison: 4 } as const;
export type CellCode = (typeof CELL)[keyof typeof CELL];

/** The token text a cell holds; null stays null, an empty value is "" (left alone, never called poison). */
export function cellText(cell: CellValue): string | null {
  if (cell === null) return null;
  return typeof cell === 'string' ? cell : cell.toString('latin1');
}

/** A new token in the form the old cell had. */
export function cellLike(old: CellValue, token: string): CellValue {
  return Buffer.isBuffer(old) ? Buffer.from(token, 'latin1') : token;
}
