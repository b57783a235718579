// Actions Keyturn never runs itself, even when a service registers their operation: they need people present.
import type { StepAction } from './types.js';

/**
 * A first escrow (an `escrow-update` with no bundle yet) splits the key among custodians who must be there to take
 * their shares; adding a version to an existing bundle needs no one.
 */
export function needsPeople(action: StepAction): boolean {
  return action.op === 'escrow-update' && action.bundle === undefined;
}
