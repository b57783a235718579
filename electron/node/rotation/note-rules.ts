// What a user may write when ticking off a manual step: a sentence about what was done, never a key pasted by mistake
// (the note is kept in the plan file and shown in status).
import { KeyturnError } from '../../../shared/domain/errors.js';

export const MAX_NOTE = 500;

/** A run of base64 or base64url characters long enough to be a key, mixing cases and digits (a hex hash does not). */
const KEY_LIKE = /[A-Za-z0-9+/_=-]{32,}/g;

function looksLikeKey(text: string): boolean {
  if (/-----BEGIN [A-Z ]*KEY-----/.test(text)) return true;
  return (text.match(KEY_LIKE) ?? []).some((run) => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run));
}

export function checkNote(note: string): string {
  const text = note.trim();
  if (text.length === 0)
    throw new KeyturnError('invalid-input', 'Say what was done with --note (for example who did it and what the check printed).');
  if (text.length > MAX_NOTE) throw new KeyturnError('invalid-input', `A note is at most ${MAX_NOTE} characters.`);
  if (looksLikeKey(text))
    throw new KeyturnError(
      'invalid-input',
      'The note holds something that looks like a key or token; notes are kept in plain text, so describe what was done without pasting values.',
    );
  return text;
}
