// Writes a secret into a user's .env file the one safe way, for `env fix` and `env set` alike: only files named like
// .env files, only if unchanged since they were read, a numbered backup that is never overwritten, an atomic
// replacement, and owner-only permissions (the file now holds a fresh secret).
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { writeBackup, writeFileAtomic } from '../files/atomic-write.js';
import { isEnvFileName } from './discover.js';
import { readEnvFile, type EnvFileContent } from './read-env-file.js';

/** A file that holds secrets is readable and writable by its owner only. */
export const SECRET_FILE_MODE = 0o600;

/** Refuses names that are not .env files (`.env`, `.env.*`, `*.env`): a passwd or autostart file is never edited. */
export function assertEnvFileName(path: string, shown: string): void {
  if (!isEnvFileName(basename(path)))
    throw new KeyturnError(
      'refused',
      `Keyturn writes only to .env files (.env, .env.NAME or NAME.env), and ${shown} is not named like one; nothing was written.`,
    );
}

/** The file as it is now, or null when it does not exist yet in a folder that does (it will be created). */
export async function readForEdit(path: string, shown: string): Promise<EnvFileContent | null> {
  assertEnvFileName(path, shown);
  try {
    return await readEnvFile(path, shown);
  } catch (error) {
    const missing = (await stat(path).catch(() => null)) === null;
    const parentOk = (await stat(dirname(path)).catch(() => null))?.isDirectory() === true;
    if (missing && parentOk) return null;
    throw error;
  }
}

export interface EnvFileWritten {
  /** The numbered copy of the original (`.env.3.bak`); null when the file was created. */
  backup: string | null;
  /** The permissions the file had before (null when created) and has now. */
  modeBefore: number | null;
  mode: number;
}

/** Replaces `path` with `text`; refuses (changed-outside) when the file is no longer what `original` read. */
export async function commitEnvEdit(path: string, shown: string, original: EnvFileContent | null, text: string): Promise<EnvFileWritten> {
  if (!original) {
    if ((await stat(path).catch(() => null)) !== null)
      throw new KeyturnError(
        'changed-outside',
        `${shown} was created while Keyturn was preparing its edit; nothing was written. Run again.`,
      );
    await writeFileAtomic(path, text, { mode: SECRET_FILE_MODE });
    return { backup: null, modeBefore: null, mode: SECRET_FILE_MODE };
  }
  const now = await readFile(path).catch(() => null);
  if (!now || !now.equals(original.bytes)) {
    throw new KeyturnError('changed-outside', `${shown} changed while Keyturn was preparing its edit; nothing was written. Run it again.`);
  }
  const backup = await writeBackup(path, original.bytes, original.mode);
  await writeFileAtomic(path, text, { mode: SECRET_FILE_MODE });
  return { backup, modeBefore: original.mode & 0o777, mode: SECRET_FILE_MODE };
}

/** "mode 644 -> 600" for people; nothing when it did not change. */
export function modeChange(written: EnvFileWritten): { from: string; to: string } | undefined {
  if (written.modeBefore === null || written.modeBefore === written.mode) return undefined;
  const octal = (m: number) => m.toString(8).padStart(3, '0');
  return { from: octal(written.modeBefore), to: octal(written.mode) };
}
