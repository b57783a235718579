// The one composition root: builds every service from its adapters and the config. CLI, main process and web host call it.
import { loadConfig, type AppConfig } from './config.js';

export interface Services {
  config: AppConfig;
}

export interface Overrides {
  config?: Partial<AppConfig>;
}

export function compose(overrides: Overrides = {}): Services {
  const config: AppConfig = { ...loadConfig(), ...overrides.config };
  return { config };
}
