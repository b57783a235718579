// Offline mode: with KEYTURN_OFFLINE=1 or the app's switch on, every network adapter refuses before any socket opens.
// The switch is kept in KEYTURN_HOME/settings.json so the desktop app, the web host and the CLI all see it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';

export interface OfflineSwitch {
  isOffline(): Promise<boolean>;
  /** Why: the environment variable or the saved switch, for the refusal sentence. */
  reason(): Promise<string | undefined>;
}

function envOffline(env: NodeJS.ProcessEnv): boolean {
  const value = (env.KEYTURN_OFFLINE ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false' && value !== 'no';
}

export function settingsPath(home: string): string {
  return join(home, 'settings.json');
}

async function readSettings(home: string): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(settingsPath(home), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    // No file, or not JSON: the switch is off (the env variable still wins).
    return {};
  }
}

/** Saves the app's switch; other settings in the file are kept. */
export async function setOfflineSetting(home: string, offline: boolean): Promise<void> {
  const settings = await readSettings(home);
  await writeFileAtomic(settingsPath(home), `${JSON.stringify({ ...settings, offline }, null, 2)}\n`);
}

export function createOfflineSwitch(home: string, env: NodeJS.ProcessEnv = process.env): OfflineSwitch {
  const reason = async (): Promise<string | undefined> => {
    if (envOffline(env)) return 'KEYTURN_OFFLINE is set';
    return (await readSettings(home)).offline === true ? "the app's offline switch is on" : undefined;
  };
  return { reason, isOffline: async () => (await reason()) !== undefined };
}

/** Throws the offline refusal when the switch is on; every adapter call starts with it. */
export async function assertOnline(offline: OfflineSwitch, service: string): Promise<void> {
  const why = await offline.reason();
  if (why !== undefined) {
    throw new KeyturnError(
      'offline',
      `Keyturn is in offline mode (${why}), so it did not contact ${service}; nothing was sent. Turn offline mode off to push or test targets.`,
    );
  }
}
