// Writes a file so a reader sees the old content or the new, never half: temp file in the same folder, fsync, rename,
// fsync the folder. Used for Keyturn's own files (inventory, audit head) and for users' .env files alike.
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** The file's mode, set exactly (not through the umask); default owner-only. */
  mode?: number;
  /** Copy the previous content to `<file>.bak` before the rename. */
  backup?: boolean;
}

/**
 * Writes `data` to a new temp file beside `path` (created exclusively, owner-only while written, then `mode`), synced,
 * and calls `place` with its name; the temp file is always gone afterwards, and the folder synced on success.
 */
async function viaTempFile(path: string, data: string | Uint8Array, mode: number, place: (temp: string) => Promise<void>): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.keyturn-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await place(temp);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDir(dir);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await viaTempFile(path, data, options.mode ?? 0o600, async (temp) => {
    if (options.backup) {
      await copyFile(path, `${path}.bak`).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    await rename(temp, path);
  });
}

/**
 * Writes a file that must not exist yet (a restored key file, an escrow bundle): complete or absent, never half, and
 * never over an existing file. The temp file is hard-linked into place, which fails if the name is taken; on file
 * systems without hard links the file is created exclusively and removed again if writing fails.
 * Rejects with an error whose `code` is 'EEXIST' when the file exists.
 */
export async function writeNewFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  await viaTempFile(path, data, mode, (temp) =>
    link(temp, path).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPERM' && error.code !== 'ENOTSUP' && error.code !== 'ENOSYS') throw error;
      await writeExclusive(path, data, mode);
    }),
  );
}

async function writeExclusive(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

/** `.env` -> `.env.3.bak`: the numbers of the backups already beside `path`. */
function backupNumbers(names: string[], base: string): number[] {
  const prefix = `${base}.`;
  return names
    .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
    .map((n) => n.slice(prefix.length, -'.bak'.length))
    .filter((n) => /^[1-9][0-9]{0,8}$/.test(n))
    .map(Number);
}

/**
 * A new numbered backup `<path>.<n>.bak` holding `original`, readable by the owner only (it holds the same secrets).
 * Backups are never overwritten: each is written as a new file (writeNewFileAtomic), which fails instead of replacing
 * a backup another process made in the meantime, and the next number is tried.
 */
export async function writeBackup(path: string, original: Uint8Array, mode: number): Promise<string> {
  const dir = dirname(path);
  const base = basename(path);
  let next = Math.max(0, ...backupNumbers(await readdir(dir), base)) + 1;
  for (;;) {
    const backup = join(dir, `${base}.${next}.bak`);
    try {
      await writeNewFileAtomic(backup, original, { mode: mode & 0o600 });
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      next += 1;
    }
  }
}

/** Make the rename itself durable; folders cannot be opened for fsync on Windows, where rename is already durable. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the data itself was synced above.
  } finally {
    await handle.close();
  }
}
