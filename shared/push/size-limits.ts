// The largest secret value each service stores, checked locally before any call.
import { KeyturnError } from '../domain/errors.js';
import type { TargetKind } from './secret-names.js';

/** SecretString: 65,536 bytes (AWS quotas); Key Vault: 25 KB per secret value. */
export const MAX_SECRET_BYTES: Record<TargetKind, number> = { aws: 65_536, azure: 25 * 1024 };

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function assertSecretSize(kind: TargetKind, secret: string, bytes: number): void {
  const limit = MAX_SECRET_BYTES[kind];
  if (bytes > limit) {
    const service = kind === 'aws' ? 'AWS Secrets Manager' : 'Azure Key Vault';
    throw new KeyturnError(
      'value-too-large',
      `The value for ${secret} is ${bytes} bytes; ${service} stores at most ${limit} bytes per secret. Push fewer keys into this bundle, or push the key to a secret of its own.`,
    );
  }
}
