// The push stack for service tests and benches: a throwaway gnome-keyring behind the real vault, KEYTURN_HOME files,
// the loopback AWS and Azure servers, the real SDK adapters, and the push service wired as compose will wire it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTargetFactory } from '../../electron/node/cloud/create-target.js';
import { createOfflineSwitch } from '../../electron/node/cloud/offline-switch.js';
import { createKeychain } from '../../electron/node/keychain/create-keychain.js';
import { nodeKeyCrypto } from '../../electron/node/services/node-key-crypto.js';
import { createPushService, type PushService } from '../../electron/node/services/push-service.js';
import { createVaultService, type VaultService } from '../../electron/node/services/vault-service.js';
import { HomeStore } from '../../electron/node/store/home-store.js';
import { createTargetsStore, type TargetsStore } from '../../electron/node/store/targets-file.js';
import { AwsSecretsServer } from './aws-secrets-server.js';
import { AzureTestCloud } from './azure-test-cloud.js';
import { awsTestEnv, azureTestEnv, useCloudEnv } from './cloud-env.js';
import { startSecretService, type SecretServiceSession } from './secret-service.js';

export interface PushFixture {
  session: SecretServiceSession;
  home: HomeStore;
  vault: VaultService;
  targets: TargetsStore;
  push: PushService;
  aws: AwsSecretsServer;
  azure?: AzureTestCloud;
  /** Every secret value the test created: none may appear in any output or file. */
  canaries: string[];
  dir: string;
  /** Another push service on the same home, e.g. with offline mode on. */
  withEnv(env: NodeJS.ProcessEnv): PushService;
  stop(): Promise<void>;
}

export async function startPushFixture(options: { azure?: boolean; maxAttempts?: number } = {}): Promise<PushFixture> {
  const session = await startSecretService({ unlocked: true });
  // libsecret reads the bus address from this process's environment at its first call.
  Object.assign(process.env, session.env);
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-push-'));
  const aws = await new AwsSecretsServer({ region: 'eu-west-1' }).start();
  const azure = options.azure ? await new AzureTestCloud().start() : undefined;
  useCloudEnv({ ...awsTestEnv(dir), ...(azure ? azureTestEnv(dir, azure.authorityHost) : {}) });
  const home = new HomeStore(session.keyturnHome);
  const keychain = createKeychain(`keyturn-push-test-${process.pid}`, session.env);
  const vault = createVaultService({ home, keychain, crypto: nodeKeyCrypto, timeoutMs: 10_000 });
  const targets = createTargetsStore(home);
  const build = (env: NodeJS.ProcessEnv) =>
    createPushService({
      vault,
      targets,
      home,
      createTarget: createTargetFactory({ offline: createOfflineSwitch(home.home, env), maxAttempts: options.maxAttempts ?? 3 }),
      offline: createOfflineSwitch(home.home, env),
      fingerprint: (kind, value) => nodeKeyCrypto.fingerprint(kind, value),
    });
  await targets.add({ kind: 'aws', name: 'aws', region: 'eu-west-1', endpoint: aws.url });
  if (azure) {
    await targets.add({
      kind: 'azure',
      name: 'kv',
      vaultUrl: azure.vaultUrl,
      credential: 'environment',
      caFile: azure.tls.certPath,
      challengeResourceCheck: false,
    });
  }
  return {
    session,
    home,
    vault,
    targets,
    push: build({}),
    aws,
    ...(azure ? { azure } : {}),
    canaries: [],
    dir,
    withEnv: build,
    async stop() {
      await aws.stop();
      await azure?.stop();
      await session.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
