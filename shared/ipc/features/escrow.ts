// The escrow feature's channels. Shares follow the draft rule: the page hands a share to the host once (typed text or
// a QR image), the host keeps it under an id and answers with what the share says about itself (bundle, set, index,
// k-of-n); no channel ever sends a share or a key value back to the page. Bundles and sheets are written to a folder
// the host allows, and the page gets their paths and the keys' fingerprints.
import type { EscrowBundleInfo, EscrowCreateResult, EscrowRestoreResult, EscrowVerifyResult } from '../../domain/escrow.js';
import type { KeyRef } from '../../domain/key-names.js';

export interface EscrowCreateRequest {
  keys: KeyRef[];
  threshold: number;
  /** One per share; a recipient (age1...) encrypts that custodian's share to them. */
  custodians: { name: string; recipient?: string }[];
  /** Folder for the bundle and its shares/ (confined like every path from the page). */
  outDir: string;
}

/** A share handed to the host: typed or pasted text, or a photo or scan of its QR code (PNG or JPEG, base64). */
export type EscrowShareInput = { kind: 'text'; text: string } | { kind: 'image'; name: string; base64: string };

/** What a held share says about itself; the share stays in the host. */
export interface HeldShare {
  shareId: string;
  label: string;
  bundleId: string;
  set: number;
  index: number;
  threshold: number;
  shares: number;
}

export interface EscrowSharesRequest {
  bundle: string;
  shareIds: string[];
}

export interface EscrowRestoreRequest extends EscrowSharesRequest {
  version?: number;
  /** Store the keys in the keychain as new versions. */
  import?: boolean;
  /** Or write them to this new file (mode 0600, never overwriting). */
  outFile?: string;
}

export type EscrowContract = {
  escrowCreate: (req: EscrowCreateRequest) => Promise<EscrowCreateResult>;
  escrowInspect: (req: { bundle: string }) => Promise<EscrowBundleInfo>;
  escrowAddShare: (req: EscrowShareInput) => Promise<HeldShare>;
  escrowDiscardShares: (req: { shareIds: string[] }) => Promise<{ discarded: number }>;
  /** The drill: proves the held shares restore the bundle; answers with fingerprints only. */
  escrowVerify: (req: EscrowSharesRequest) => Promise<EscrowVerifyResult>;
  escrowRestore: (req: EscrowRestoreRequest) => Promise<EscrowRestoreResult>;
};

export const ESCROW_CHANNELS = [
  'escrowCreate',
  'escrowInspect',
  'escrowAddShare',
  'escrowDiscardShares',
  'escrowVerify',
  'escrowRestore',
] as const satisfies readonly (keyof EscrowContract)[];

/** Images are downscaled in the page before they are sent; the host refuses more than this (base64 characters). */
export const MAX_SHARE_IMAGE_BASE64 = 900_000;
