// AWS Secrets Manager behind the cloud port (@aws-sdk/client-secrets-manager, loaded only when a call is made).
// Credentials come only from the SDK's default chain (plus the target's profile); Keyturn never handles an access key.
import type * as AwsSdk from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { AwsTarget } from '../../../shared/push/targets.js';
import { mapAwsError, principalOf } from './aws-errors.js';
import type { CloudContext } from './cloud-errors.js';
import { assertOnline, type OfflineSwitch } from './offline-switch.js';
import type { RemoteStage, SecretReading, SecretTarget, WriteInput } from './secret-target.js';

type Sdk = typeof AwsSdk;

export interface AwsOptions {
  offline: OfflineSwitch;
  env?: NodeJS.ProcessEnv;
  /** Attempts per call, the SDK's own retries included (default 3, the SDK's standard mode). */
  maxAttempts?: number;
  /** Socket connect and per-request limits in ms; the caller's signal bounds the whole call. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const SERVICE = 'AWS Secrets Manager';
const STAGE_NAMES: Record<string, RemoteStage> = { AWSCURRENT: 'current', AWSPENDING: 'pending', AWSPREVIOUS: 'previous' };

export function createAwsTarget(target: AwsTarget, options: AwsOptions): SecretTarget {
  const env = options.env ?? process.env;
  const host = target.endpoint ? new URL(target.endpoint).host : `secretsmanager.${target.region}.amazonaws.com`;
  const base: CloudContext = { service: SERVICE, where: target.endpoint ? `${target.region} via ${target.endpoint}` : target.region, host };
  let loaded: Promise<{ sdk: Sdk; client: SecretsManagerClient }> | undefined;

  async function client(): Promise<{ sdk: Sdk; client: SecretsManagerClient }> {
    // Checked before the SDK loads and before every call: offline mode opens no socket, not even for credentials.
    await assertOnline(options.offline, SERVICE);
    // The SDK warns on every run under Node 20 that releases after early 2027 need Node 22; Keyturn pins a release
    // that runs here (README, "Which SDK versions"), so the notice says nothing actionable. An explicit setting wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    loaded ??= import('@aws-sdk/client-secrets-manager').then((sdk) => ({
      sdk,
      client: new sdk.SecretsManagerClient({
        region: target.region,
        ...(target.endpoint ? { endpoint: target.endpoint } : {}),
        ...(target.profile ? { profile: target.profile } : {}),
        maxAttempts: options.maxAttempts ?? 3,
        requestHandler: { connectionTimeout: options.connectTimeoutMs ?? 5_000, requestTimeout: options.requestTimeoutMs ?? 20_000 },
      }),
    }));
    return loaded;
  }

  async function call<T>(
    name: string,
    secret: string | undefined,
    signal: AbortSignal | undefined,
    work: (sdk: Sdk, c: SecretsManagerClient) => Promise<T>,
  ): Promise<T> {
    const { sdk, client: c } = await client();
    try {
      return await work(sdk, c);
    } catch (error) {
      throw mapAwsError(error, {
        ...base,
        ...(secret !== undefined ? { secret } : {}),
        call: name,
        region: target.region,
        ...(target.profile ? { profile: target.profile } : {}),
        ...(target.kmsKeyId ? { kmsKeyId: target.kmsKeyId } : {}),
        signal,
        env,
      });
    }
  }

  const withSignal = (signal: AbortSignal | undefined) => (signal ? { abortSignal: signal } : {});

  async function currentVersionId(sdk: Sdk, c: SecretsManagerClient, secret: string, signal?: AbortSignal): Promise<string | undefined> {
    const described = await c.send(new sdk.DescribeSecretCommand({ SecretId: secret }), withSignal(signal));
    return Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
  }

  return {
    kind: 'aws',
    name: target.name,

    async read(secret, { versionId, stage, signal } = {}): Promise<SecretReading> {
      const { sdk, client: c } = await client();
      try {
        const out = await c.send(
          new sdk.GetSecretValueCommand({
            SecretId: secret,
            ...(versionId ? { VersionId: versionId } : { VersionStage: stage === 'pending' ? 'AWSPENDING' : 'AWSCURRENT' }),
          }),
          withSignal(signal),
        );
        if (out.SecretString === undefined || out.VersionId === undefined) {
          // A binary secret is not something Keyturn wrote; its fingerprint will not match any key.
          return { state: 'present', version: { versionId: out.VersionId ?? '', value: '', stages: stagesOf(out.VersionStages) } };
        }
        return { state: 'present', version: { versionId: out.VersionId, value: out.SecretString, stages: stagesOf(out.VersionStages) } };
      } catch (error) {
        const e = error as { name?: string; message?: string };
        if (e.name === 'ResourceNotFoundException') return { state: 'absent' };
        if (e.name === 'InvalidRequestException' && /deletion/i.test(e.message ?? '')) return { state: 'deleted' };
        throw mapAwsError(error, {
          ...base,
          secret,
          call: 'GetSecretValue',
          region: target.region,
          signal,
          env,
          ...(target.profile ? { profile: target.profile } : {}),
        });
      }
    },

    async write(input: WriteInput) {
      const tags = Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value }));
      if (input.create) {
        if (input.stage === 'pending') {
          throw new KeyturnError(
            'refused',
            `${input.secret} does not exist yet, so there is no current version to stage against; push it once without --stage pending.`,
          );
        }
        const out = await call('CreateSecret', input.secret, input.signal, (sdk, c) =>
          c.send(
            new sdk.CreateSecretCommand({
              Name: input.secret,
              SecretString: input.value,
              ClientRequestToken: input.requestToken,
              Tags: tags,
              ...(target.kmsKeyId ? { KmsKeyId: target.kmsKeyId } : {}),
              ...(input.description ? { Description: input.description } : {}),
            }),
            withSignal(input.signal),
          ),
        );
        return { versionId: out.VersionId ?? input.requestToken };
      }
      const out = await call('PutSecretValue', input.secret, input.signal, (sdk, c) =>
        c.send(
          new sdk.PutSecretValueCommand({
            SecretId: input.secret,
            SecretString: input.value,
            ClientRequestToken: input.requestToken,
            ...(input.stage === 'pending' ? { VersionStages: ['AWSPENDING'] } : {}),
          }),
          withSignal(input.signal),
        ),
      );
      const versionId = out.VersionId ?? input.requestToken;
      if (input.stage === 'pending') return { versionId };
      // Tags belong to the secret, not the version: bring them up to the version now current. A policy without
      // secretsmanager:TagResource does not undo a verified write, so this is a warning, not a failure.
      try {
        await call('TagResource', input.secret, input.signal, (sdk, c) =>
          c.send(new sdk.TagResourceCommand({ SecretId: input.secret, Tags: tags }), withSignal(input.signal)),
        );
        return { versionId };
      } catch (error) {
        if (error instanceof KeyturnError && (error.code === 'timeout' || error.code === 'cancelled')) throw error;
        const why = error instanceof KeyturnError ? error.message : 'the tag call failed';
        return { versionId, warning: `The value was written, but its keyturn:* tags were not updated: ${why}` };
      }
    },

    async promote(secret, versionId, signal) {
      await call('UpdateSecretVersionStage', secret, signal, async (sdk, c) => {
        const current = await currentVersionId(sdk, c, secret, signal);
        if (current === versionId) return;
        await c.send(
          new sdk.UpdateSecretVersionStageCommand({
            SecretId: secret,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: versionId,
            ...(current ? { RemoveFromVersionId: current } : {}),
          }),
          withSignal(signal),
        );
      });
    },

    async recover(secret, signal) {
      await call('RestoreSecret', secret, signal, (sdk, c) =>
        c.send(new sdk.RestoreSecretCommand({ SecretId: secret }), withSignal(signal)),
      );
    },

    async test(signal) {
      const { sdk, client: c } = await client();
      try {
        await c.send(new sdk.ListSecretsCommand({ MaxResults: 1 }), withSignal(signal));
        const creds = await c.config.credentials();
        return { identity: `access key ...${creds.accessKeyId.slice(-4)}` };
      } catch (error) {
        const e = error as { name?: string; message?: string };
        const principal = e.name === 'AccessDeniedException' ? principalOf(e.message) : undefined;
        // Denied to list, yet the service knew who asked: reachable and authenticated, which is what the test is for.
        if (principal)
          return { identity: principal, note: 'secretsmanager:ListSecrets is not allowed to it, which pushing does not need.' };
        throw mapAwsError(error, {
          ...base,
          call: 'ListSecrets',
          region: target.region,
          signal,
          env,
          ...(target.profile ? { profile: target.profile } : {}),
        });
      }
    },
  };
}

function stagesOf(labels: string[] | undefined): RemoteStage[] {
  return (labels ?? []).map((l) => STAGE_NAMES[l]).filter((s): s is RemoteStage => s !== undefined);
}
