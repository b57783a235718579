// The vault's crypto port on Keyturn's own engine (node:crypto): generation, fingerprints and key descriptions.
import { describeKey, fingerprintOf } from '../crypto/fingerprint.js';
import { generateKey } from '../crypto/generate-key.js';
import type { KeyCrypto } from './key-crypto.js';

export const nodeKeyCrypto: KeyCrypto = {
  generate: (options) => generateKey(options),
  fingerprint: (kind, secret) => fingerprintOf(kind, secret),
  describe: (kind, secret) => describeKey(kind, secret),
};
