// Builds the keychain the app uses: keytar for the platform, wrapped in chunking (Windows caps an entry at 2,560 bytes).
import { KeyturnError } from '../../../shared/domain/errors.js';
import { ChunkedKeychain, DEFAULT_CHUNK_BYTES } from './chunked-keychain.js';
import { KeytarKeychain } from './keytar-keychain.js';

export function chunkBytesFrom(env: NodeJS.ProcessEnv): number {
  const text = env.KEYTURN_KEYCHAIN_CHUNK_BYTES;
  if (text === undefined || text === '') return DEFAULT_CHUNK_BYTES;
  const bytes = Number(text);
  if (!Number.isInteger(bytes))
    throw new KeyturnError(
      'invalid-input',
      'KEYTURN_KEYCHAIN_CHUNK_BYTES must be a whole number of bytes (it exists for tests; leave it unset).',
    );
  return bytes;
}

export function createKeychain(service: string, env: NodeJS.ProcessEnv = process.env): ChunkedKeychain {
  return new ChunkedKeychain(new KeytarKeychain({ service, env }), chunkBytesFrom(env));
}
