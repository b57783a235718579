// Reads one .env file as text, refusing binary, non-UTF-8 and oversized files before they reach the parser.
import { open } from 'node:fs/promises';
import { assertEnvSize, decodeEnvBytes, MAX_ENV_BYTES } from '../../../shared/formats/env-file.js';
import { KeyturnError } from '../../../shared/domain/errors.js';

export interface EnvFileContent {
  text: string;
  bytes: Buffer;
  /** POSIX mode bits (permissions only). */
  mode: number;
  uid: number;
}

export async function readEnvFile(path: string, label: string): Promise<EnvFileContent> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code ?? 'error'})`;
    throw new KeyturnError('unreadable-input', `${label} ${why}; check the path.`);
  }
  try {
    const info = await handle.stat();
    // Refuse by size before reading, so a multi-gigabyte file is never loaded.
    assertEnvSize(info.size, label, MAX_ENV_BYTES);
    const bytes = await handle.readFile();
    return { text: decodeEnvBytes(bytes, label), bytes, mode: info.mode & 0o7777, uid: info.uid };
  } finally {
    await handle.close();
  }
}
