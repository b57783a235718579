// The optional field of every request that lets a secret out to the page: the user's confirmation, once the host asked.
import type { ReleaseConfirmation } from '../../domain/release.js';

export interface Confirmable {
  confirmation?: ReleaseConfirmation;
}
