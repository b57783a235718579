// The shape of the handler table and of each feature's slice of it.
import type { Channel, RequestOf, ResponseOf } from '../../../shared/ipc/contract.js';
import type { Services } from '../compose.js';
import type { DraftStore } from './draft-store.js';
import type { HostAdapters } from './host-adapters.js';

export type Handler<C extends Channel> = (req: RequestOf<C>, signal?: AbortSignal) => Promise<ResponseOf<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

/** One feature's handlers: exactly the channels of its contract. */
export type FeatureHandlers<K> = { [C in keyof K & Channel]: Handler<C> };

export interface HandlerDeps {
  services: Services;
  host: HostAdapters;
  /** Generated keys not yet stored: their values stay in the host (one store per host process). */
  drafts: DraftStore;
}
