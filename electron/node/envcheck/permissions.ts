// Flags .env files other users can read or change (POSIX mode bits); Windows ACLs are not modelled.
import type { EnvFinding } from '../../../shared/envcheck/report.js';

export function permissionFinding(mode: number, label: string, platform: NodeJS.Platform = process.platform): EnvFinding | null {
  if (platform === 'win32') return null;
  const open = mode & 0o077;
  if (open === 0) return null;
  const who: string[] = [];
  if (mode & 0o070) who.push('its group');
  if (mode & 0o007) who.push('all other users');
  const writable = (mode & 0o022) !== 0;
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  return {
    code: 'insecure-permissions',
    // Others changing the file can swap a key or a database URL: worse than reading it.
    severity: mode & 0o002 ? 'error' : 'warning',
    message: `${label} can be ${writable ? 'read or changed' : 'read'} by ${who.join(' and ')} (mode ${octal}); make it private with \`chmod 600 ${label}\`.`,
    fix: { action: 'chmod', command: `chmod 600 ${label}` },
  };
}
