// The port every host gives the handlers for letting a secret value out to the page (reveal, copy, export of a stored
// key or an unsaved draft; later escrow shares and push previews): a confirmation the page itself cannot give.
// Electron asks in a native dialog (asking-gate.ts); `keyturn serve` prints a code on its terminal (terminal-code-gate.ts).
import type { ReleaseConfirmation } from '../../../shared/domain/release.js';

export type ReleaseAction = 'reveal' | 'copy' | 'export';

export interface ReleaseRequest {
  action: ReleaseAction;
  /** What leaves, in the user's words: "pii-enc-key v2", "the unsaved fernet key as env". */
  subject: string;
  /** What exactly leaves, for binding a confirmation to it: "key:pii-enc-key@v2", "draft:<id>:env". */
  target: string;
}

export interface ReleaseGate {
  /**
   * Resolves once the user confirmed this one release (a confirmation is used once). Otherwise throws: `confirmation-
   * required` with a ReleaseChallenge in its details (the page asks the user and calls again with `proof`), `refused`
   * (the user said no, the code was wrong, or too many requests wait), or `cancelled`.
   */
  confirm(request: ReleaseRequest, proof: ReleaseConfirmation | undefined, signal?: AbortSignal): Promise<void>;
}

/** "reveal pii-enc-key v2": the verb and the subject, as prompts and terminal lines say it. */
export function describeRelease(request: ReleaseRequest): string {
  const verb = request.action === 'reveal' ? 'show' : request.action;
  return `${verb} ${request.subject}`;
}
