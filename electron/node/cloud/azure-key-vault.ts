// Azure Key Vault behind the cloud port (@azure/keyvault-secrets with @azure/identity, loaded only when a call is made).
// Key Vault has no request token, so each write carries a keyturn:request tag: after a lost answer Keyturn looks for
// its own write before trying again, and a retried push never makes a second version.
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { AzureTarget } from '../../../shared/push/targets.js';
import { sleep } from '../lib/deadline.js';
import { mapAzureError, type KeyVaultOperation } from './azure-errors.js';
import { errorCodeDeep, type CloudContext } from './cloud-errors.js';
import { assertOnline, type OfflineSwitch } from './offline-switch.js';
import type { SecretReading, SecretTarget, WriteInput } from './secret-target.js';

export interface AzureOptions {
  offline: OfflineSwitch;
  env?: NodeJS.ProcessEnv;
  /** Attempts per write (Keyturn's own loop) and per read (the SDK's retries + 1); default 4. */
  maxAttempts?: number;
}

const SERVICE = 'Azure Key Vault';
/** The tag that makes a write recognisable after a lost answer. */
export const REQUEST_TAG = 'keyturn:request';
/** Login hosts Microsoft's instance discovery knows; any other (Azure Stack, ADFS, a test host) is used as given. */
const KNOWN_AUTHORITIES = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

interface Clients {
  read: SecretClient;
  write: SecretClient;
  credential: TokenCredential;
}

/** What a token says about who holds it (never the token itself): a user name, an app id or an object id. */
function identityOfToken(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const pick = (k: string) => (typeof claims[k] === 'string' && /^[A-Za-z0-9@._-]{1,128}$/.test(claims[k]) ? claims[k] : undefined);
    const who =
      pick('upn') ??
      pick('unique_name') ??
      (pick('appid') ? `app ${pick('appid')}` : undefined) ??
      (pick('oid') ? `object ${pick('oid')}` : undefined);
    return who && pick('tid') ? `${who} (tenant ${pick('tid')})` : who;
  } catch {
    return undefined;
  }
}

function isTransient(error: unknown): boolean {
  const e = error as { statusCode?: number };
  if (e?.statusCode !== undefined) return TRANSIENT_STATUS.has(e.statusCode);
  const code = errorCodeDeep(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Back-off before the next write attempt: the service's retry-after when it gave one, else exponential. */
function backoffMs(error: unknown, attempt: number): number {
  const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } })?.response?.headers;
  const ms = Number(headers?.get('retry-after-ms') ?? headers?.get('x-ms-retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, 30_000);
  const s = Number(headers?.get('retry-after') ?? NaN);
  if (Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 30_000);
  return Math.min(100 * 2 ** attempt, 4_000);
}

export function createAzureTarget(target: AzureTarget, options: AzureOptions): SecretTarget {
  const env = options.env ?? process.env;
  const maxAttempts = options.maxAttempts ?? 4;
  const ctxBase: CloudContext = { service: SERVICE, where: target.vaultUrl, host: new URL(target.vaultUrl).host };
  let identity: string | undefined;
  let loaded: Promise<Clients> | undefined;

  const ctx = (operation: KeyVaultOperation, secret: string | undefined, signal: AbortSignal | undefined, attempts?: number) => ({
    ...ctxBase,
    ...(secret !== undefined ? { secret } : {}),
    operation,
    credential: target.credential,
    signal,
    ...(attempts !== undefined ? { attempts } : {}),
  });

  async function load(): Promise<Clients> {
    const [id, kv] = await Promise.all([import('@azure/identity'), import('@azure/keyvault-secrets')]);
    let tlsOptions: { ca: string[] } | undefined;
    if (target.caFile) {
      const ca = await readFile(target.caFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new KeyturnError(
          'io',
          `Keyturn cannot read the CA file ${target.caFile} (${error.code ?? 'error'}); check the path given with --ca-file.`,
        );
      });
      // Added to the public roots, not instead of them: the login host keeps its public certificate.
      tlsOptions = { ca: [...rootCertificates, ca] };
    }
    const authorityHost = target.authorityHost ?? env.AZURE_AUTHORITY_HOST;
    const custom = authorityHost !== undefined && !KNOWN_AUTHORITIES.includes(new URL(authorityHost).hostname);
    const common = {
      ...(target.tenant ? { tenantId: target.tenant } : {}),
      ...(authorityHost ? { authorityHost } : {}),
      // Instance discovery asks login.microsoftonline.com about the host: pointless (and a leak) for any other host.
      ...(custom ? { disableInstanceDiscovery: true } : {}),
      ...(tlsOptions ? { tlsOptions } : {}),
    };
    const credential: TokenCredential =
      target.credential === 'environment'
        ? new id.EnvironmentCredential(common)
        : target.credential === 'cli'
          ? new id.AzureCliCredential(target.tenant ? { tenantId: target.tenant } : {})
          : target.credential === 'managed-identity'
            ? new id.ManagedIdentityCredential(common)
            : new id.DefaultAzureCredential(common);
    const watched: TokenCredential = {
      async getToken(scopes, opts) {
        const token = await credential.getToken(scopes, opts);
        if (token) identity = identityOfToken(token.token) ?? identity;
        return token;
      },
    };
    const clientOptions = {
      ...(target.apiVersion ? { serviceVersion: target.apiVersion as '7.5' } : {}),
      disableChallengeResourceVerification: !target.challengeResourceCheck,
      ...(tlsOptions ? { tlsOptions } : {}),
    };
    return {
      credential: watched,
      read: new kv.SecretClient(target.vaultUrl, watched, { ...clientOptions, retryOptions: { maxRetries: maxAttempts - 1 } }),
      // Writes are retried by Keyturn, which first checks whether the lost attempt landed.
      write: new kv.SecretClient(target.vaultUrl, watched, { ...clientOptions, retryOptions: { maxRetries: 0 } }),
    };
  }

  async function clients(): Promise<Clients> {
    await assertOnline(options.offline, SERVICE);
    loaded ??= load();
    loaded.catch(() => (loaded = undefined));
    return loaded;
  }

  async function readLatest(c: Clients, secret: string, signal?: AbortSignal) {
    return c.read.getSecret(secret, signal ? { abortSignal: signal } : {});
  }

  return {
    kind: 'azure',
    name: target.name,

    async read(secret, { versionId, stage, signal } = {}): Promise<SecretReading> {
      if (stage === 'pending') throw new KeyturnError('refused', `${SERVICE} has no staging labels, so nothing is pending there.`);
      const c = await clients();
      try {
        const s = await c.read.getSecret(secret, {
          ...(versionId ? { version: versionId } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        });
        return {
          state: 'present',
          version: {
            versionId: s.properties.version ?? '',
            value: s.value ?? '',
            stages: versionId ? [] : ['current'],
            ...(s.properties.tags ? { tags: s.properties.tags } : {}),
            ...(s.properties.contentType ? { contentType: s.properties.contentType } : {}),
          },
        };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw mapAzureError(error, ctx('get', secret, signal, maxAttempts));
        if (versionId) return { state: 'absent' };
      }
      // Absent, or soft-deleted (then its name cannot be reused until it is recovered or purged).
      try {
        await c.read.getDeletedSecret(secret, signal ? { abortSignal: signal } : {});
        return { state: 'deleted' };
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        // 403: no permission to see deleted secrets; the write will say so if it matters.
        if (status === 404 || status === 403) return { state: 'absent' };
        throw mapAzureError(error, ctx('getDeleted', secret, signal));
      }
    },

    async write(input: WriteInput) {
      if (input.stage === 'pending') {
        throw new KeyturnError(
          'refused',
          `${SERVICE} has no staging labels; push to Azure without --stage pending (each push makes a new current version).`,
        );
      }
      const c = await clients();
      const { signal } = input;
      const tags = { ...input.tags, [REQUEST_TAG]: input.requestToken };
      for (let attempt = 1; ; attempt += 1) {
        try {
          const s = await c.write.setSecret(input.secret, input.value, {
            tags,
            ...(input.contentType ? { contentType: input.contentType } : {}),
            ...(input.notBefore ? { notBefore: input.notBefore } : {}),
            ...(input.expiresOn ? { expiresOn: input.expiresOn } : {}),
            ...(signal ? { abortSignal: signal } : {}),
          });
          return { versionId: s.properties.version ?? '' };
        } catch (error) {
          if (signal?.aborted || !isTransient(error) || attempt >= maxAttempts)
            throw mapAzureError(error, ctx('set', input.secret, signal, attempt));
          // The answer was lost or the service failed: the write may have landed all the same.
          const latest = await readLatest(c, input.secret, signal).catch(() => undefined);
          if (latest?.properties.tags?.[REQUEST_TAG] === input.requestToken) return { versionId: latest.properties.version ?? '' };
          await sleep(backoffMs(error, attempt), signal);
        }
      }
    },

    async promote() {
      throw new KeyturnError(
        'refused',
        `${SERVICE} has no staging labels; every push to it is current at once, so there is nothing to promote.`,
      );
    },

    async recover(secret, signal) {
      const c = await clients();
      try {
        const poller = await c.write.beginRecoverDeletedSecret(secret, { intervalInMs: 200, ...(signal ? { abortSignal: signal } : {}) });
        await poller.pollUntilDone(signal ? { abortSignal: signal } : {});
      } catch (error) {
        throw mapAzureError(error, ctx('recover', secret, signal));
      }
    },

    async test(signal) {
      const c = await clients();
      try {
        await c.read
          .listPropertiesOfSecrets()
          .byPage({ maxPageSize: 1, ...(signal ? { abortSignal: signal } : {}) })
          .next();
        return { identity: identity ?? 'the configured credential' };
      } catch (error) {
        // Denied to list, yet a token was accepted: reachable and authenticated, which is what the test is for.
        if ((error as { statusCode?: number }).statusCode === 403 && identity) {
          return { identity, note: 'listing secrets is not allowed to it, which pushing does not need.' };
        }
        throw mapAzureError(error, ctx('list', undefined, signal, maxAttempts));
      }
    },
  };
}
