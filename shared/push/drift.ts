// Drift between what Keyturn pushed and what a target holds now: in-sync, remote-changed (a version Keyturn did not
// write), missing, or local-newer (rotated here, not pushed yet). Pure, from fingerprints and version ids.
import type { RemoteObservation } from './push-plan.js';

export const DRIFT_STATES = ['in-sync', 'remote-changed', 'missing', 'local-newer'] as const;
export type DriftState = (typeof DRIFT_STATES)[number];

export interface DriftInput {
  /** The key version pushed last to this secret, and its fingerprint. */
  pushedVersion: number;
  pushedFingerprint: string;
  /** The version id the target gave that push. */
  recordedRemoteVersion: string;
  /** The key's current version here. */
  localCurrent: number;
  bundle: boolean;
  field?: string;
  remote: RemoteObservation;
}

export function classifyDrift(input: DriftInput): DriftState {
  const { remote } = input;
  if (remote.state !== 'present') return 'missing';
  if (input.bundle) {
    const seen = input.field !== undefined ? remote.fields?.get(input.field) : undefined;
    if (seen === undefined) return 'missing';
    // Other fields of a bundle change its version; only this key's field matters here.
    if (seen !== input.pushedFingerprint) return 'remote-changed';
  } else if (remote.versionId !== input.recordedRemoteVersion || remote.fingerprint !== input.pushedFingerprint) {
    return 'remote-changed';
  }
  return input.pushedVersion < input.localCurrent ? 'local-newer' : 'in-sync';
}

export function isDrift(state: DriftState): boolean {
  return state !== 'in-sync';
}
