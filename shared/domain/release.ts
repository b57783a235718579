// Letting a secret value out to the page (reveal, copy, export) takes a confirmation the page cannot script: these are
// the shapes that confirmation travels in. The hosts decide how the user confirms (electron/node/release-gate/).

/** What the page sends back once the user typed the code the host showed outside the page (`keyturn serve`'s terminal). */
export interface ReleaseConfirmation {
  /** The id the host gave with `confirmation-required`. */
  challenge: string;
  /** What the user typed. */
  code: string;
}

/** The `details` of a `confirmation-required` error: what the page must ask the user for. */
export interface ReleaseChallenge {
  challenge: string;
  /** Where the user finds the code: the terminal running `keyturn serve`. */
  via: 'terminal-code';
  /** What is being let out, in words ("reveal pii-enc-key v2"). */
  subject: string;
  expiresInMs: number;
}

export function isReleaseChallenge(value: unknown): value is ReleaseChallenge {
  const v = value as Partial<ReleaseChallenge> | undefined;
  return typeof v?.challenge === 'string' && v.via === 'terminal-code' && typeof v.subject === 'string';
}
