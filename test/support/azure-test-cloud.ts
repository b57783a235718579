// A loopback Azure for tests: a Key Vault speaking the secrets REST API over HTTPS (self-signed certificate), which
// answers the first unauthenticated request with the 401 bearer challenge as Key Vault does, and an authority host
// issuing client-credential tokens the way Microsoft Entra ID does for ClientSecretCredential (OpenID metadata, then
// the v2.0 token endpoint). Versions, tags, soft delete and recovery, api-version checks, and injected faults.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FaultQueue, type Fault } from './fault-queue.js';
import { makeTestCertificate, type TestCertificate } from './test-tls.js';

export const AZURE_TEST_TENANT = 'a1b2c3d4-0000-4000-8000-000000000001';
export const AZURE_TEST_CLIENT = { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'keyturn-test-client-secret-0001' };
const KEYVAULT_RESOURCE = 'https://vault.azure.net';

interface Version {
  id: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: { enabled: boolean; nbf?: number; exp?: number; created: number; updated: number };
}

interface Secret {
  name: string;
  versions: Version[];
}

export interface AzureCloudOptions {
  /** Key Vault api-versions this vault accepts (default: any), as an Azure Stack Hub endpoint that lags behind would. */
  apiVersions?: string[];
  /** The resource the challenge names (default https://vault.azure.net, which does not match 127.0.0.1). */
  challengeResource?: string;
}

class HttpFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly inner?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class AzureTestCloud {
  readonly faults = new FaultQueue();
  readonly secrets = new Map<string, Secret>();
  readonly deleted = new Map<string, Secret & { deletedDate: number }>();
  readonly calls = new Map<string, number>();
  /** TCP connections accepted by the vault and the authority. */
  connections = 0;
  /** Token requests, and tokens handed out (so the vault accepts only those). */
  readonly issued = new Set<string>();
  /** Requests either server did not recognise (a client calling an endpoint the test did not expect). */
  readonly unexpected: string[] = [];
  readonly tls: TestCertificate;
  vaultUrl = '';
  authorityHost = '';
  private readonly vault: Server;
  private readonly authority: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: AzureCloudOptions = {}) {
    this.tls = makeTestCertificate();
    const tlsOptions = { key: this.tls.key, cert: this.tls.cert };
    this.vault = createServer(tlsOptions, (req, res) => void this.handleVault(req, res));
    this.authority = createServer(tlsOptions, (req, res) => void this.handleAuthority(req, res));
    for (const server of [this.vault, this.authority]) {
      server.on('connection', (socket: Socket) => {
        this.connections += 1;
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
      });
    }
  }

  async start(): Promise<this> {
    this.vaultUrl = await listen(this.vault);
    this.authorityHost = await listen(this.authority);
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([this.vault, this.authority].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.tls.dispose();
  }

  fault(fault: Fault): void {
    this.faults.add(fault);
  }

  totalCalls(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }

  latest(name: string): Version | undefined {
    const secret = this.secrets.get(name.toLowerCase());
    return secret?.versions[secret.versions.length - 1];
  }

  /** Another writer adds a version, as the portal would. */
  putOutside(name: string, value: string): string {
    return this.addVersion(name, { value }).id;
  }

  /** Soft-deletes the secret, as DELETE /secrets/{name} does on a vault with soft delete on. */
  softDelete(name: string): void {
    const secret = this.secrets.get(name.toLowerCase());
    if (!secret) return;
    this.secrets.delete(name.toLowerCase());
    this.deleted.set(name.toLowerCase(), { ...secret, deletedDate: Math.floor(Date.now() / 1000) });
  }

  private count(action: string): Map<string, Fault> {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    return this.faults.take(action);
  }

  private addVersion(
    name: string,
    input: {
      value: string;
      contentType?: string;
      tags?: Record<string, string>;
      attributes?: { nbf?: number; exp?: number; enabled?: boolean };
    },
  ): Version {
    const key = name.toLowerCase();
    const secret = this.secrets.get(key) ?? { name, versions: [] };
    this.secrets.set(key, secret);
    const now = Math.floor(Date.now() / 1000);
    const version: Version = {
      id: randomBytes(16).toString('hex'),
      value: input.value,
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      attributes: {
        enabled: input.attributes?.enabled ?? true,
        created: now,
        updated: now,
        ...(input.attributes?.nbf !== undefined ? { nbf: input.attributes.nbf } : {}),
        ...(input.attributes?.exp !== undefined ? { exp: input.attributes.exp } : {}),
      },
    };
    secret.versions.push(version);
    return version;
  }

  private bundle(name: string, version: Version): Record<string, unknown> {
    return {
      value: version.value,
      id: `${this.vaultUrl}/secrets/${name}/${version.id}`,
      ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
      ...(version.tags !== undefined ? { tags: version.tags } : {}),
      attributes: { ...version.attributes, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
    };
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': randomUUID(), ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private async handleVault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.vaultUrl);
    const parts = url.pathname.split('/').filter(Boolean);
    const action =
      parts[0] === 'secrets' && parts.length === 1
        ? 'list'
        : parts[0] === 'secrets'
          ? req.method === 'PUT'
            ? 'set'
            : req.method === 'DELETE'
              ? 'delete'
              : 'get'
          : parts[0] === 'deletedsecrets' && parts[2] === 'recover'
            ? 'recover'
            : 'getDeleted';
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    try {
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion) throw new HttpFault(400, 'BadParameter', 'api-version is required');
      if (this.options.apiVersions && !this.options.apiVersions.includes(apiVersion)) {
        throw new HttpFault(
          400,
          'BadParameter',
          `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${this.options.apiVersions.at(-1)}).`,
        );
      }
      const auth = String(req.headers.authorization ?? '');
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!this.issued.has(token)) {
        // Key Vault's challenge: where to get a token (the tenant's authority) and for which resource.
        throw new HttpFault(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', undefined, {
          'www-authenticate': `Bearer authorization="${this.authorityHost}/${AZURE_TEST_TENANT}", resource="${this.options.challengeResource ?? KEYVAULT_RESOURCE}"`,
        });
      }
      // Faults apply to authenticated requests: the challenge round trip is not the call a test aims at.
      const faults = this.faults.take(action);
      const slow = faults.get('slow');
      if (slow) await new Promise((r) => setTimeout(r, slow.ms ?? 1000));
      if (faults.has('drop')) {
        req.socket.destroy();
        return;
      }
      if (faults.has('throttle'))
        throw new HttpFault(
          429,
          'Throttled',
          'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
          undefined,
          {
            'retry-after-ms': '10',
            'x-ms-retry-after-ms': '10',
          },
        );
      if (faults.has('error500')) throw new HttpFault(500, 'InternalServerError', 'An unexpected error occurred.');
      if (faults.has('deny')) {
        const rbac = {
          set: 'setSecret',
          get: 'getSecret',
          recover: 'deletedsecrets/recover',
          getDeleted: 'deletedsecrets/read',
          list: 'readMetadata',
          delete: 'delete',
        }[action];
        throw new HttpFault(
          403,
          'Forbidden',
          `Caller is not authorized to perform action on resource.\r\nCaller: appid=${AZURE_TEST_CLIENT.clientId}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/${rbac}/action'\r\nAssignment: (not found)\r\n`,
          'ForbiddenByRbac',
        );
      }
      const name = decodeURIComponent(parts[1] ?? '');
      const key = name.toLowerCase();
      if (action === 'set') {
        if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) throw new HttpFault(400, 'BadParameter', 'The request URI contains an invalid name');
        if (this.deleted.has(key))
          throw new HttpFault(
            409,
            'Conflict',
            `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
            'ObjectIsDeletedButRecoverable',
          );
        const input = JSON.parse(body) as {
          value: string;
          contentType?: string;
          tags?: Record<string, string>;
          attributes?: { nbf?: number; exp?: number; enabled?: boolean };
        };
        if (Buffer.byteLength(input.value) > 25 * 1024) throw new HttpFault(400, 'BadParameter', 'Secret value is too large');
        const version = this.addVersion(name, { ...input, value: faults.has('tamper') ? `${input.value}-tampered` : input.value });
        if (faults.has('drop-after')) {
          req.socket.destroy();
          return;
        }
        this.send(res, 200, this.bundle(name, version));
        return;
      }
      if (action === 'get') {
        const secret = this.secrets.get(key);
        const wanted = parts[2];
        const version = wanted ? secret?.versions.find((v) => v.id === wanted) : secret?.versions.at(-1);
        if (!secret || !version)
          throw new HttpFault(
            404,
            'SecretNotFound',
            `A secret with (name/id) ${name}${wanted ? `/${wanted}` : ''} was not found in this key vault.`,
          );
        this.send(res, 200, this.bundle(secret.name, version));
        return;
      }
      if (action === 'delete') {
        const secret = this.secrets.get(key);
        if (!secret) throw new HttpFault(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
        this.softDelete(name);
        this.send(res, 200, {
          ...this.bundle(secret.name, secret.versions.at(-1)!),
          recoveryId: `${this.vaultUrl}/deletedsecrets/${name}`,
        });
        return;
      }
      if (action === 'getDeleted' || action === 'recover') {
        const gone = this.deleted.get(key);
        if (!gone) throw new HttpFault(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
        const latest = gone.versions.at(-1)!;
        if (action === 'recover') {
          this.deleted.delete(key);
          this.secrets.set(key, { name: gone.name, versions: gone.versions });
          this.send(res, 200, this.bundle(gone.name, latest));
          return;
        }
        this.send(res, 200, {
          ...this.bundle(gone.name, latest),
          recoveryId: `${this.vaultUrl}/deletedsecrets/${gone.name}`,
          deletedDate: gone.deletedDate,
          scheduledPurgeDate: gone.deletedDate + 90 * 86400,
        });
        return;
      }
      if (action === 'list') {
        const value = [...this.secrets.values()]
          .slice(0, Number(url.searchParams.get('maxresults') ?? 25))
          .map((s) => ({ id: `${this.vaultUrl}/secrets/${s.name}`, attributes: s.versions.at(-1)!.attributes }));
        this.send(res, 200, { value, nextLink: null });
        return;
      }
      throw new HttpFault(400, 'BadParameter', 'Unknown operation');
    } catch (error) {
      if (!(error instanceof HttpFault)) {
        this.send(res, 500, { error: { code: 'InternalServerError', message: 'test server error' } });
        return;
      }
      if (error.status === 400 && error.message === 'Unknown operation') this.unexpected.push(`${req.method} ${url.pathname}`);
      this.send(
        res,
        error.status,
        { error: { code: error.code, message: error.message, ...(error.inner ? { innererror: { code: error.inner } } : {}) } },
        error.headers,
      );
    }
  }

  private async handleAuthority(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.authorityHost);
    const base = `${this.authorityHost}/${AZURE_TEST_TENANT}`;
    if (req.method === 'GET' && url.pathname === `/${AZURE_TEST_TENANT}/v2.0/.well-known/openid-configuration`) {
      this.count('metadata');
      this.send(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        issuer: `${base}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        tenant_region_scope: null,
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === `/${AZURE_TEST_TENANT}/oauth2/v2.0/token`) {
      const faults = this.count('token');
      if (faults.has('drop')) {
        req.socket.destroy();
        return;
      }
      const form = new URLSearchParams(body);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== AZURE_TEST_CLIENT.clientId ||
        form.get('client_secret') !== AZURE_TEST_CLIENT.clientSecret
      ) {
        this.send(res, 401, {
          error: 'invalid_client',
          error_description:
            'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
          error_codes: [7000215],
        });
        return;
      }
      const scope = form.get('scope') ?? '';
      if (!scope.split(' ').includes(`${this.options.challengeResource ?? KEYVAULT_RESOURCE}/.default`)) {
        this.send(res, 400, {
          error: 'invalid_scope',
          error_description: `AADSTS70011: The provided value for scope ${scope} is not valid.`,
        });
        return;
      }
      const claims = {
        aud: KEYVAULT_RESOURCE,
        iss: `${base}/v2.0`,
        tid: AZURE_TEST_TENANT,
        appid: AZURE_TEST_CLIENT.clientId,
        oid: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        exp: Math.floor(Date.now() / 1000) + 3600,
      };
      const token =
        [{ alg: 'none', typ: 'JWT' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') +
        `.${randomBytes(16).toString('base64url')}`;
      this.issued.add(token);
      this.send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      return;
    }
    this.unexpected.push(`authority ${req.method} ${url.pathname}`);
    this.send(res, 404, { error: 'not_found' });
  }
}
