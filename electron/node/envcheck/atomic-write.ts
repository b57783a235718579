// Writes a user's file atomically (temp file in the same folder, fsync, rename, fsync the folder) and keeps a .bak.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms (Windows) cannot open a folder, which is fine to skip.
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** Replace `path` with `data` so readers see the old bytes or the new ones, never a mix; `mode` is set exactly. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.keyturn-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
}

/** `<path>.bak` with the original bytes, readable by the owner only (it holds the same secrets). */
export async function writeBackup(path: string, original: Uint8Array, mode: number): Promise<string> {
  const backup = `${path}.bak`;
  await writeFileAtomic(backup, original, mode & 0o600);
  return backup;
}
