// What EscrowService takes and promises: its dependencies, the inputs of each use case and the interface itself. A file
// of its own so the lazy facade (escrow-service.ts) and the implementation (escrow-use-cases.ts) share it without a circle.
import type { EscrowShare } from '../escrow/share-codec.js';
import type { CustodianSpec } from '../escrow/custodians.js';
import type { ShareSource } from '../escrow/share-input.js';
import type {
  EscrowAddVersionResult,
  EscrowBundleInfo,
  EscrowCreateResult,
  EscrowRekeyResult,
  EscrowRestoreResult,
  EscrowVerifyResult,
} from '../../../shared/domain/escrow.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import type { Audited } from './audited.js';
import type { VaultService } from './vault-service.js';

export interface EscrowDeps {
  vault: Pick<VaultService, 'show' | 'reveal' | 'store' | 'fingerprint'>;
  audited: Audited;
  clock: () => Date;
}

export interface SetInput {
  threshold: number;
  /** n; defaults to the number of custodians named. */
  shareCount?: number;
  custodians?: CustodianSpec[];
}

export interface CreateInput extends SetInput {
  keys: KeyRef[];
  /** Folder for the bundle (created if missing); nothing in it is ever overwritten. */
  outDir: string;
  signal?: AbortSignal;
}

export interface OpenInput {
  /** The manifest, one of the bundle's .age files, or its folder. */
  bundle: string;
  shares: ShareSource[];
  /** Custodians' age identities (AGE-SECRET-KEY-1...), for shares encrypted to them. */
  identities?: string[];
  signal?: AbortSignal;
}

export interface RestoreInput extends OpenInput {
  version?: number;
  /** Store the keys in the keychain as new versions (a key already there with the same value is left as it is). */
  import?: boolean;
  /** Write the keys as JSON to this new file (mode 0600; an existing file is never overwritten). */
  outFile?: string;
  /** Write the set's age identity to this new file (mode 0600), for `age -d -i` without Keyturn. */
  identityOut?: string;
}

export interface RekeyInput extends OpenInput, SetInput {}

export interface AddVersionInput {
  bundle: string;
  /** Keys of the new version; default: the latest version's keys at their current keychain versions. */
  keys?: KeyRef[];
  signal?: AbortSignal;
}

export interface EscrowService {
  create(input: CreateInput): Promise<EscrowCreateResult>;
  addVersion(input: AddVersionInput): Promise<EscrowAddVersionResult>;
  verify(input: OpenInput): Promise<EscrowVerifyResult>;
  restore(input: RestoreInput): Promise<EscrowRestoreResult>;
  rekey(input: RekeyInput): Promise<EscrowRekeyResult>;
  /**
   * Reads and checks one share (typed text, a QR image, a sheet) without combining anything, for a wizard that takes
   * shares one at a time and holds them in the host. Fails with `invalid-share` naming what is wrong.
   */
  readShare(source: ShareSource): Promise<{ share: EscrowShare; label: string }>;
  /** What the manifest says: versions, keys (fingerprints), the current set and voided ones. No values, no shares. */
  inspect(bundle: string): Promise<EscrowBundleInfo>;
}
