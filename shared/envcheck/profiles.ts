// The built-in profiles, one per migration guide in the seeds, and lookup by id.
import { KeyturnError } from '../domain/errors.js';
import { docscanRollingUpgrade } from './profiles/docscan-rolling-upgrade.js';
import { hrmsSecurityEnhancements } from './profiles/hrms-security-enhancements.js';
import { muestrasFastapiUsers } from './profiles/muestras-fastapi-users.js';
import { namaskahSecurity24 } from './profiles/namaskah-security-2-4.js';
import { resumeragPhase2 } from './profiles/resumerag-phase2.js';
import type { EnvProfile } from './types.js';

export const PROFILES: readonly EnvProfile[] = [
  resumeragPhase2,
  docscanRollingUpgrade,
  hrmsSecurityEnhancements,
  namaskahSecurity24,
  muestrasFastapiUsers,
];

export function listProfiles(): EnvProfile[] {
  return [...PROFILES];
}

export function getProfile(id: string): EnvProfile {
  const profile = PROFILES.find((p) => p.id === id);
  if (!profile) {
    throw new KeyturnError(
      'usage',
      `There is no profile "${id.slice(0, 60)}"; run \`keyturn env profiles\` to list them (${PROFILES.map((p) => p.id).join(', ')}).`,
    );
  }
  return profile;
}
