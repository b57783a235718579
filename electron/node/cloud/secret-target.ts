// The cloud port: what the push service needs from a secret store (AWS Secrets Manager, Azure Key Vault), whatever backs it.
import type { PushStage } from '../../../shared/push/push-plan.js';
import type { TargetKind } from '../../../shared/push/secret-names.js';

/** Where a version stands: AWS staging labels (AWSCURRENT, AWSPENDING, AWSPREVIOUS); on Azure the latest version is current. */
export type RemoteStage = 'current' | 'pending' | 'previous';

export interface RemoteVersion {
  versionId: string;
  /** The secret's text. Kept in memory only: fingerprinted and dropped, never printed or written. */
  value: string;
  stages: RemoteStage[];
  /** Version tags (Azure); AWS tags belong to the secret and are not read back. */
  tags?: Record<string, string>;
  contentType?: string;
}

export type SecretReading = { state: 'absent' } | { state: 'deleted' } | { state: 'present'; version: RemoteVersion };

export interface ReadOptions {
  /** A version by id; otherwise the one at `stage` (default current). */
  versionId?: string;
  stage?: 'current' | 'pending';
  signal?: AbortSignal | undefined;
}

export interface WriteInput {
  secret: string;
  value: string;
  /** Derived from (key, version, fingerprint): the same write sent twice makes one version (AWS ClientRequestToken). */
  requestToken: string;
  tags: Record<string, string>;
  /** True when the plan found no secret: AWS CreateSecret, else PutSecretValue. */
  create: boolean;
  stage: PushStage;
  contentType?: string;
  description?: string;
  notBefore?: Date;
  expiresOn?: Date;
  signal?: AbortSignal | undefined;
}

export interface WriteResult {
  versionId: string;
  /** Something that did not stop the write but the user should know (tags not updated), as a sentence. */
  warning?: string;
}

export interface TargetIdentity {
  /** "reachable, authenticated as ..." completes with this: an ARN, an app id, a masked access key id. */
  identity: string;
  /** A note on what the read-only probe could not do (e.g. list not allowed, which pushing does not need). */
  note?: string;
}

export interface SecretTarget {
  readonly kind: TargetKind;
  /** The target's name in targets.json. */
  readonly name: string;
  read(secret: string, options?: ReadOptions): Promise<SecretReading>;
  write(input: WriteInput): Promise<WriteResult>;
  /** Makes a staged version current (AWS: AWSCURRENT moves to it; the old one becomes AWSPREVIOUS). */
  promote(secret: string, versionId: string, signal?: AbortSignal): Promise<void>;
  /** Brings back a soft-deleted secret (AWS RestoreSecret, Key Vault recover). */
  recover(secret: string, signal?: AbortSignal): Promise<void>;
  /** One read-only call: proves the endpoint answers and the credentials work. */
  test(signal?: AbortSignal): Promise<TargetIdentity>;
}
