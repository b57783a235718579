// Builds the adapter for a target: AWS Secrets Manager or Azure Key Vault, each loading its SDK only when used.
import type { Target } from '../../../shared/push/targets.js';
import { createAwsTarget } from './aws-secrets-manager.js';
import { createAzureTarget } from './azure-key-vault.js';
import type { OfflineSwitch } from './offline-switch.js';
import type { SecretTarget } from './secret-target.js';

export interface TargetFactoryOptions {
  offline: OfflineSwitch;
  env?: NodeJS.ProcessEnv;
  /** Attempts per call including retries (tests and benches lower or raise it). */
  maxAttempts?: number;
}

export type TargetFactory = (target: Target) => SecretTarget;

export function createTargetFactory(options: TargetFactoryOptions): TargetFactory {
  return (target) => (target.kind === 'aws' ? createAwsTarget(target, options) : createAzureTarget(target, options));
}
