// What escrow actions report, as the CLI prints it and the app shows it: bundle ids, sets, custodians, key versions
// and fingerprints, file paths. Never a key value and never a share.
import type { KeyKind } from './key-kinds.js';

/** A key version held in a bundle, described: its fingerprint, never its value. */
export interface EscrowKeyMeta {
  name: string;
  version: number;
  kind: KeyKind;
  alg?: string;
  fingerprint: string;
  /** When this version of the key was created (from the inventory). */
  created: string;
}

export interface EscrowCustodian {
  index: number;
  name: string;
  /** True when the share was encrypted to the custodian's age recipient. */
  encrypted: boolean;
}

export interface EscrowSetSummary {
  set: number;
  threshold: number;
  shares: number;
  created: string;
  custodians: EscrowCustodian[];
}

/** A custodian's files in the bundle's shares/ folder. */
export interface EscrowSheetFiles {
  index: number;
  custodian: string;
  encrypted: boolean;
  pdf: string;
  text: string;
  /** The encrypted share as its own .age file (what `age -d -i` and `--share` take). */
  shareFile?: string;
}

/** A share given to a drill or restore that was set aside, and why (its typing error, its wrong set, a forgery). */
export interface ShareRejection {
  label: string;
  /** The share's index when it could be read. */
  index?: number;
  reason: string;
}

export interface EscrowKeyCheck {
  name: string;
  version: number;
  fingerprint: string;
  ok: boolean;
}

export interface EscrowBundleInfo {
  bundleId: string;
  created: string;
  manifest: string;
  set: EscrowSetSummary;
  voidedSets: (EscrowSetSummary & { voidedAt: string; replacedBy: number })[];
  versions: { version: number; created: string; file: string; keys: EscrowKeyMeta[] }[];
}

export interface EscrowCreateResult {
  bundleId: string;
  manifest: string;
  bundleFile: string;
  set: EscrowSetSummary;
  keys: EscrowKeyMeta[];
  sheets: EscrowSheetFiles[];
}

export interface EscrowAddVersionResult {
  bundleId: string;
  version: number;
  bundleFile: string;
  keys: EscrowKeyMeta[];
}

export interface EscrowVerifyResult {
  bundleId: string;
  set: number;
  threshold: number;
  /** Indexes of the shares that were combined. */
  used: number[];
  rejected: ShareRejection[];
  versions: { version: number; keys: EscrowKeyCheck[] }[];
}

export interface RestoredKey {
  name: string;
  version: number;
  fingerprint: string;
  /** The keychain version it was stored as, or the one that already held it. */
  keychainVersion?: number;
  outcome: 'imported' | 'already-present' | 'written';
}

export interface EscrowRestoreResult {
  bundleId: string;
  version: number;
  keys: RestoredKey[];
  rejected: ShareRejection[];
  outFile?: string;
  identityOut?: string;
}

export interface EscrowRekeyResult {
  bundleId: string;
  set: EscrowSetSummary;
  voided: EscrowSetSummary & { voidedAt: string };
  versions: number[];
  sheets: EscrowSheetFiles[];
  rejected: ShareRejection[];
}

/** Error details of `not-enough-shares`, `invalid-share` and `share-rejected`, for a wizard to show per share. */
export interface ShareErrorDetails {
  needed: number;
  valid: number;
  threshold: number;
  rejected: ShareRejection[];
}
