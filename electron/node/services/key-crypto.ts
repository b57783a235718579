// What the vault needs from the crypto engine: make a key, and say what a stored value is (size, fingerprint).
import type { GeneratedKey, GenerateRequest } from '../../../shared/domain/generated-key.js';
import type { KeyKind } from '../../../shared/domain/key-kinds.js';

export interface KeyCrypto {
  generate(options: GenerateRequest): Promise<GeneratedKey>;
  /** SHA-256-based id that is safe to show; throws invalid-key when `secret` is not a key of `kind`. */
  fingerprint(kind: KeyKind, secret: string): string | Promise<string>;
  /** Algorithm (asymmetric kinds) and size in bits; throws invalid-key when `secret` is not a key of `kind`. */
  describe(kind: KeyKind, secret: string): { alg?: string; size: number } | Promise<{ alg?: string; size: number }>;
}
