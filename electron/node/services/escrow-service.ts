// Offline key escrow as use cases: create a bundle (keys from the keychain, sealed with age, the opening secret split
// k-of-n), add a version after a rotation, verify (a drill that reveals nothing), restore (into the keychain or a new
// 0600 file), rekey (a new set, proved before the old one is reported void). No network, no value in any audit line.
// The implementation (escrow-use-cases.ts, with age, Shamir, QR and PDF behind it) loads on first use, so commands and
// screens that never touch escrow never parse it.
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
  vault: Pick<VaultService, 'show' | 'reveal' | 'store'>;
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

export function createEscrowService(deps: EscrowDeps): EscrowService {
  let loaded: Promise<EscrowService> | undefined;
  const impl = () => (loaded ??= import('./escrow-use-cases.js').then((m) => m.escrowUseCases(deps)));
  return {
    create: async (input) => (await impl()).create(input),
    addVersion: async (input) => (await impl()).addVersion(input),
    verify: async (input) => (await impl()).verify(input),
    restore: async (input) => (await impl()).restore(input),
    rekey: async (input) => (await impl()).rekey(input),
    readShare: async (source) => (await impl()).readShare(source),
    inspect: async (bundle) => (await impl()).inspect(bundle),
  };
}
