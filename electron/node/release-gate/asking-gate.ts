// A release gate that asks the user in a prompt the host owns and the page cannot reach (Electron's native dialog):
// one question per release, one open question at a time, nothing carried over to the next release.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { describeRelease, type ReleaseGate, type ReleaseRequest } from './release-gate.js';

/** Shows the question and resolves true only when the user chose to let the value out. */
export type AskUser = (request: ReleaseRequest, signal?: AbortSignal) => Promise<boolean>;

export function createAskingGate(ask: AskUser): ReleaseGate {
  let open = false;
  return {
    async confirm(request, _proof, signal) {
      // A page that fires requests in a loop must not stack dialogs the user could click through by reflex.
      if (open) throw new KeyturnError('refused', 'Another confirmation is already open; answer it first. Nothing was let out.');
      open = true;
      try {
        signal?.throwIfAborted();
        const yes = await ask(request, signal);
        if (!yes) throw new KeyturnError('refused', `You declined to ${describeRelease(request)}; nothing was let out.`);
      } finally {
        open = false;
      }
    },
  };
}
