// How the page asks for the code `keyturn serve` printed on its terminal: the dialog component registers itself
// here, and the API client calls it when the host answers `confirmation-required`.
import type { ReleaseChallenge } from '../../../shared/domain/release.js';

/** Resolves with what the user typed, or null when they cancelled. */
export type CodePrompt = (challenge: ReleaseChallenge) => Promise<string | null>;

let current: CodePrompt | undefined;

export function setCodePrompt(prompt: CodePrompt | undefined): void {
  current = prompt;
}

export function askForCode(challenge: ReleaseChallenge): Promise<string | null> {
  return current ? current(challenge) : Promise.resolve(null);
}
