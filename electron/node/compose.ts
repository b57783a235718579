// The one composition root: builds each service from its adapters and the config the first time it is used, so a
// command pays only for what it touches (`env check` never loads the keychain module, a cloud SDK or a database driver).
// The CLI, the Electron main process and the web host all call it.
import { join } from 'node:path';
import { loadConfig, type AppConfig } from './config.js';
import { createJobService, type JobService } from './jobs/job-service.js';
import { createKeychain } from './keychain/create-keychain.js';
import type { Keychain } from './keychain/keychain.js';
import { createAudited } from './services/audited.js';
import { createAuditService, type AuditService } from './services/audit-service.js';
import { createEscrowService, type EscrowService } from './services/escrow-service.js';
import { createEnvCheckService, type EnvCheckService } from './services/envcheck-service.js';
import { createEnvSetService, type EnvSetService } from './services/env-set-service.js';
import { createKeyExportService, type KeyExportService } from './services/key-export-service.js';
import { createFernetService, type FernetService } from './services/fernet-service.js';
import { createGenerateService, type GenerateService } from './services/generate-service.js';
import { createReencryptService, type ReencryptService } from './services/reencrypt-service.js';
import { escrowExecutors } from './rotation/escrow-executors.js';
import { fileExecutors } from './rotation/file-executors.js';
import { escrowLookup, targetLookup } from './rotation/plan-lookups.js';
import { pushExecutors } from './rotation/push-executors.js';
import { reencryptExecutors } from './rotation/reencrypt-executors.js';
import { builtinExecutors } from './rotation/step-executors.js';
import { createRotationService, type RotationService } from './services/rotation-service.js';
import type { KeyCrypto } from './services/key-crypto.js';
import { nodeKeyCrypto } from './services/node-key-crypto.js';
import { createVaultService, type VaultService } from './services/vault-service.js';
import { createTargetFactory } from './cloud/create-target.js';
import { createOfflineSwitch } from './cloud/offline-switch.js';
import { createPushJobKind } from './services/push-job.js';
import { createPushService, type PushService } from './services/push-service.js';
import { HomeStore } from './store/home-store.js';
import { createTargetsStore } from './store/targets-file.js';

export interface Services {
  readonly config: AppConfig;
  /** Key generation, export formats and whether an export is secret. */
  readonly generate: GenerateService;
  /** Keys in the OS keychain, their inventory and audited actions. */
  readonly vault: VaultService;
  /** Fernet key rings from the keychain or the environment. */
  readonly fernet: FernetService;
  readonly audit: AuditService;
  /** The .env checker: profiles, check (also as a job) and fix. */
  readonly envcheck: EnvCheckService;
  /** Offline key escrow: bundles sealed with age, k-of-n share sets, drills, restores and rekeys. */
  readonly escrow: EscrowService;
  /** Long work: started, followed, paused, resumed and cancelled by id, persisted under KEYTURN_HOME/jobs. */
  readonly jobs: JobService;
  /** Writes a stored key into a .env file (env set). */
  readonly envset: EnvSetService;
  /** A stored key in an export format (keys export): env, PEM, JWK, a JWKS of every live version. */
  readonly keyExport: KeyExportService;
  /** Stored PII re-encrypted under a new Fernet key (a job), scan and verify; database drivers load on first use. */
  readonly reencrypt: ReencryptService;
  /** Push targets (targets.json), plans, verified pushes to AWS/Azure, promotion, drift status, offline mode. */
  readonly push: PushService;
  /** Rotation policies, due dates and plans followed step by step (KEYTURN_HOME/plans). */
  readonly rotation: RotationService;
}

export interface Overrides {
  config?: Partial<AppConfig>;
  /** Tests of services only: an in-memory keychain instead of the OS one. */
  keychain?: Keychain;
  crypto?: KeyCrypto;
}

/** A getter that builds its value on first use and keeps it. */
function lazy<T>(make: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: make() }).value;
}

export function compose(overrides: Overrides = {}): Services {
  const config: AppConfig = { ...loadConfig(), ...overrides.config };
  const home = lazy(() => new HomeStore(config.home));
  const generate = lazy(() => createGenerateService());
  const vault = lazy(() =>
    createVaultService({
      home: home(),
      keychain: overrides.keychain ?? createKeychain(config.keychainService),
      crypto: overrides.crypto ?? nodeKeyCrypto,
      timeoutMs: config.keychainTimeoutMs,
      retireGuard: (name: string, version: number): Promise<void> => reencrypt().guardRetire(name, version),
    }),
  );
  const audit = lazy(() => createAuditService(home()));
  const envcheck = lazy(() =>
    createEnvCheckService({
      generate: generate(),
      // A thin wrapper: `env check` builds this service but must not build the vault (nor load the keychain module).
      vault: { store: (input, signal) => vault().store(input, signal), list: () => vault().list() },
      // Reads inventory.json only; the keychain module stays unloaded.
      values: () => vault().valueIndex(),
      audited: createAudited(home()),
    }),
  );
  const fernet = lazy(() => createFernetService({ vault: vault() }));
  const envset = lazy(() => createEnvSetService({ vault: vault(), audited: createAudited(home()) }));
  const keyExport = lazy(() => createKeyExportService({ vault: vault(), generate: generate() }));
  const reencrypt = lazy((): ReencryptService =>
    createReencryptService({
      fernet: { keyTexts: (source, options) => fernet().keyTexts(source, options) },
      jobsDir: join(config.home, 'jobs'),
    }),
  );
  const push = lazy(() => {
    // Building the service loads no SDK: each adapter imports its own on its first call.
    const offline = createOfflineSwitch(config.home);
    return createPushService({
      vault: vault(),
      targets: createTargetsStore(home()),
      home: home(),
      createTarget: createTargetFactory({ offline }),
      offline,
    });
  });
  const pushJob = lazy(() => createPushJobKind(() => push()));
  const escrow = lazy(() => createEscrowService({ vault: vault(), audited: createAudited(home()), clock: () => new Date() }));
  const jobs = lazy(() =>
    createJobService({
      dir: join(config.home, 'jobs'),
      kinds: { envcheck: () => envcheck().checkJob, reencrypt: () => reencrypt().job, push: () => pushJob() },
      audit: (event) => audit().record(event),
    }),
  );
  const rotation = lazy(() =>
    createRotationService({
      home: home(),
      // Each service a step runs through registers its executors here; steps without one stay manual in new plans.
      executors: {
        ...builtinExecutors({ vault }),
        ...reencryptExecutors(reencrypt),
        ...pushExecutors(push),
        ...escrowExecutors({ escrow, vault }),
        ...fileExecutors({ envset, keyExport }),
      },
      jobs: jobs(),
      // targets.json alone: planning builds neither the push service nor the vault.
      target: targetLookup(() => createTargetsStore(home())),
      escrow: escrowLookup({ audit: () => home().audit, inspect: (manifest) => escrow().inspect(manifest) }),
    }),
  );
  return {
    config,
    get generate() {
      return generate();
    },
    get vault() {
      return vault();
    },
    get fernet() {
      return fernet();
    },
    get audit() {
      return audit();
    },
    get envcheck() {
      return envcheck();
    },
    get escrow() {
      return escrow();
    },
    get jobs() {
      return jobs();
    },
    get envset() {
      return envset();
    },
    get keyExport() {
      return keyExport();
    },
    get reencrypt() {
      return reencrypt();
    },
    get push() {
      return push();
    },
    get rotation() {
      return rotation();
    },
  };
}
