// Offline key escrow as use cases: create a bundle (keys from the keychain, sealed with age, the opening secret split
// k-of-n), add a version after a rotation, verify (a drill that reveals nothing), restore (into the keychain or a new
// 0600 file), rekey (a new set, proved before the old one is reported void). No network, no value in any audit line.
// The implementation (escrow-use-cases.ts, with age, Shamir, QR and PDF behind it) loads on first use, so commands and
// screens that never touch escrow never parse it.
import type { EscrowDeps, EscrowService } from './escrow-service-types.js';

export type * from './escrow-service-types.js';

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
