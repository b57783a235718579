// The one composition root: builds every service from its adapters and the config. CLI, main process and web host call it.
import { loadConfig, type AppConfig } from './config.js';
import { createKeychain } from './keychain/create-keychain.js';
import type { Keychain } from './keychain/keychain.js';
import { generateKey } from './crypto/generate-key.js';
import { createAuditService, type AuditService } from './services/audit-service.js';
import { createEnvCheckService, type EnvCheckService } from './services/envcheck-service.js';
import type { KeyCrypto } from './services/key-crypto.js';
import { nodeKeyCrypto } from './services/node-key-crypto.js';
import { createVaultService, type VaultService } from './services/vault-service.js';
import { HomeStore } from './store/home-store.js';

export interface Services {
  config: AppConfig;
  /** Keys in the OS keychain, their inventory and audited actions. */
  vault: VaultService;
  audit: AuditService;
  /** The OS keychain itself; `keychain.status()` is the status probe (the vault's status() bounds it with the timeout). */
  keychain: Keychain;
  /** The .env checker: profiles, check and fix (fix may store generated values through the vault). */
  envcheck: EnvCheckService;
}

export interface Overrides {
  config?: Partial<AppConfig>;
  /** Tests of services only: an in-memory keychain instead of the OS one. */
  keychain?: Keychain;
  crypto?: KeyCrypto;
}

export function compose(overrides: Overrides = {}): Services {
  const config: AppConfig = { ...loadConfig(), ...overrides.config };
  const keychain = overrides.keychain ?? createKeychain(config.keychainService);
  const home = new HomeStore(config.home);
  const vault = createVaultService({ home, keychain, crypto: overrides.crypto ?? nodeKeyCrypto, timeoutMs: config.keychainTimeoutMs });
  const envcheck = createEnvCheckService({ generate: generateKey, vault });
  return { config, vault, audit: createAuditService(home), keychain, envcheck };
}
