// A loopback AWS Secrets Manager for tests: the JSON 1.1 protocol (POST /, X-Amz-Target: secretsmanager.<Action>),
// every request's SigV4 signature recomputed from the test credentials, versions with ClientRequestToken idempotency,
// staging labels, tags, scheduled deletion, and injected faults. Binds 127.0.0.1 only.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultQueue, type Fault } from './fault-queue.js';

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

interface Version {
  id: string;
  value: string;
  stages: Set<string>;
  created: number;
}

interface Secret {
  name: string;
  arn: string;
  versions: Map<string, Version>;
  tags: Map<string, string>;
  kmsKeyId?: string;
  description?: string;
  created: number;
  deleted?: number;
}

export interface AwsServerOptions {
  region?: string;
  credentials?: AwsTestCredentials;
}

export const AWS_TEST_CREDENTIALS: AwsTestCredentials = {
  accessKeyId: 'AKIDKEYTURNTEST0001',
  secretAccessKey: 'keyturn-test-secret-access-key-0001',
};
const ACCOUNT = '111122223333';
export const AWS_TEST_PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/keyturn-test`;

class AwsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class AwsSecretsServer {
  readonly faults = new FaultQueue();
  readonly secrets = new Map<string, Secret>();
  /** Requests per action that reached the handler (signed correctly or not). */
  readonly calls = new Map<string, number>();
  /** TCP connections accepted, for the offline test. */
  connections = 0;
  /** Signature checks that failed, with the reason. */
  readonly signatureFailures: string[] = [];
  readonly region: string;
  private readonly credentials: AwsTestCredentials;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(options: AwsServerOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.credentials = options.credentials ?? AWS_TEST_CREDENTIALS;
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  fault(fault: Fault): void {
    this.faults.add(fault);
  }

  totalCalls(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }

  resetCounts(): void {
    this.calls.clear();
    this.connections = 0;
  }

  /** Test setup and checks, outside the protocol. */
  secret(name: string): Secret | undefined {
    return this.find(name);
  }

  /** Another writer puts a version (AWSCURRENT moves to it), as someone using the console would. */
  putOutside(name: string, value: string): string {
    const secret = this.find(name) ?? this.create(name, undefined, undefined, []);
    return this.addVersion(secret, randomUUID(), value, ['AWSCURRENT']).id;
  }

  /** Schedules the secret for deletion, as DeleteSecret with a recovery window does. */
  scheduleDeletion(name: string): void {
    const secret = this.find(name);
    if (secret) secret.deleted = Date.now() / 1000;
  }

  private find(id: string): Secret | undefined {
    return this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id);
  }

  private create(
    name: string,
    kmsKeyId: string | undefined,
    description: string | undefined,
    tags: { Key: string; Value: string }[],
  ): Secret {
    const secret: Secret = {
      name,
      arn: `arn:aws:secretsmanager:${this.region}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`,
      versions: new Map(),
      tags: new Map(tags.map((t) => [t.Key, t.Value])),
      created: Date.now() / 1000,
      ...(kmsKeyId ? { kmsKeyId } : {}),
      ...(description ? { description } : {}),
    };
    this.secrets.set(name, secret);
    return secret;
  }

  /** Adds a version; each staging label moves to it (AWSCURRENT's old holder becomes AWSPREVIOUS). */
  private addVersion(secret: Secret, id: string, value: string, stages: string[]): Version {
    const version: Version = { id, value, stages: new Set(), created: Date.now() / 1000 };
    secret.versions.set(id, version);
    for (const stage of stages) this.moveStage(secret, stage, id);
    return version;
  }

  private moveStage(secret: Secret, stage: string, to: string): void {
    for (const v of secret.versions.values()) {
      if (v.id === to || !v.stages.has(stage)) continue;
      v.stages.delete(stage);
      if (stage === 'AWSCURRENT') {
        for (const w of secret.versions.values()) w.stages.delete('AWSPREVIOUS');
        v.stages.add('AWSPREVIOUS');
      }
    }
    const target = secret.versions.get(to)!;
    target.stages.add(stage);
    if (stage === 'AWSCURRENT') target.stages.delete('AWSPREVIOUS');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    const faults = this.faults.take(action);
    const slow = faults.get('slow');
    if (slow) await new Promise((r) => setTimeout(r, slow.ms ?? 1000));
    if (faults.has('drop')) {
      req.socket.destroy();
      return;
    }
    try {
      if (req.method !== 'POST' || req.url !== '/') throw new AwsFault('UnknownOperationException', 'Unknown operation', 404);
      if (!/^application\/x-amz-json-1\.1/.test(String(req.headers['content-type'] ?? '')))
        throw new AwsFault('SerializationException', 'Expected application/x-amz-json-1.1');
      this.verifySignature(req, body);
      if (faults.has('throttle')) throw new AwsFault('ThrottlingException', 'Rate exceeded');
      if (faults.has('error500')) throw new AwsFault('InternalServiceError', 'An internal error occurred.', 500);
      if (faults.has('deny')) {
        throw new AwsFault(
          'AccessDeniedException',
          `User: ${AWS_TEST_PRINCIPAL} is not authorized to perform: secretsmanager:${action} on resource: * because no identity-based policy allows the secretsmanager:${action} action`,
        );
      }
      if (faults.has('kms')) {
        throw new AwsFault(
          'EncryptionFailure',
          "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
        );
      }
      const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      const out = this.dispatch(action, input, faults.has('tamper'));
      if (faults.has('drop-after')) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(out));
    } catch (error) {
      const fault = error instanceof AwsFault ? error : new AwsFault('InternalServiceError', 'An internal error occurred.', 500);
      res.writeHead(fault.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': fault.type,
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify({ __type: fault.type, message: fault.message }));
    }
  }

  /** SigV4 as AWS checks it: scope (date, region, service), signed headers, and the signature recomputed from the secret key. */
  private verifySignature(req: IncomingMessage, body: Buffer): void {
    const fail = (why: string, type = 'InvalidSignatureException'): never => {
      this.signatureFailures.push(why);
      throw new AwsFault(type, why, 400);
    };
    const auth = String(req.headers.authorization ?? '');
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/([0-9]{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!match) return fail('Authorization header is missing or not SigV4', 'IncompleteSignature');
    const [, keyId, date, region, service, signedList, signature] = match as unknown as string[];
    if (keyId !== this.credentials.accessKeyId)
      return fail('The security token included in the request is invalid.', 'UnrecognizedClientException');
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!amzDate.startsWith(date!)) return fail('Credential scope date does not match X-Amz-Date');
    if (region !== this.region) return fail(`Credential should be scoped to a valid region, not '${region}'`);
    if (service !== 'secretsmanager') return fail(`Credential should be scoped to correct service: 'secretsmanager', not '${service}'`);
    const signed = signedList!.split(';');
    for (const required of ['host', 'x-amz-date', 'x-amz-target', 'content-type']) {
      if (!signed.includes(required)) fail(`SignedHeaders must include ${required}`);
    }
    const canonicalHeaders = signed
      .map((h) => {
        const value = req.headers[h];
        if (value === undefined) return fail(`Signed header ${h} is not in the request`);
        return `${h}:${(Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ')}\n`;
      })
      .join('');
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const declared = req.headers['x-amz-content-sha256'];
    if (declared !== undefined && declared !== payloadHash) fail('X-Amz-Content-Sha256 does not match the body');
    const canonical = ['POST', '/', '', canonicalHeaders, signedList, payloadHash].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
    const kSigning = hmac(hmac(hmac(hmac(`AWS4${this.credentials.secretAccessKey}`, date!), region!), service!), 'aws4_request');
    const expected = createHmac('sha256', kSigning).update(toSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) {
      fail('The request signature we calculated does not match the signature you provided.');
    }
  }

  private dispatch(action: string, input: Record<string, unknown>, tamper: boolean): Record<string, unknown> {
    const id = String(input.SecretId ?? input.Name ?? '');
    const live = (): Secret => {
      const secret = this.find(id);
      if (!secret) throw new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      if (secret.deleted !== undefined && action !== 'DescribeSecret' && action !== 'RestoreSecret') {
        throw new AwsFault('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
      }
      return secret;
    };
    const stored = (value: string) => (tamper ? `${value}-tampered` : value);
    const token = (): string => {
      const t = String(input.ClientRequestToken ?? randomUUID());
      if (t.length < 32 || t.length > 64) throw new AwsFault('ValidationException', 'ClientRequestToken must be 32-64 characters');
      return t;
    };
    switch (action) {
      case 'CreateSecret': {
        const name = String(input.Name ?? '');
        if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) throw new AwsFault('ValidationException', 'Invalid name');
        const value = String(input.SecretString ?? '');
        if (Buffer.byteLength(value) > 65_536) throw new AwsFault('InvalidParameterException', 'SecretString exceeds the maximum size');
        const t = token();
        const existing = this.secrets.get(name);
        if (existing?.deleted !== undefined)
          throw new AwsFault(
            'InvalidRequestException',
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
          );
        if (existing) {
          // Idempotent retry: the same token with the same value answers as the first call did.
          const same = existing.versions.get(t);
          if (same && same.value === stored(value)) return { ARN: existing.arn, Name: name, VersionId: t };
          throw new AwsFault('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
        }
        const secret = this.create(
          name,
          input.KmsKeyId as string | undefined,
          input.Description as string | undefined,
          (input.Tags as { Key: string; Value: string }[]) ?? [],
        );
        this.addVersion(secret, t, stored(value), ['AWSCURRENT']);
        return { ARN: secret.arn, Name: name, VersionId: t };
      }
      case 'PutSecretValue': {
        const secret = live();
        const value = String(input.SecretString ?? '');
        if (Buffer.byteLength(value) > 65_536) throw new AwsFault('InvalidParameterException', 'SecretString exceeds the maximum size');
        const t = token();
        const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
        const existing = secret.versions.get(t);
        if (existing) {
          if (existing.value !== stored(value))
            throw new AwsFault('ResourceExistsException', 'You can’t modify an existing version, you can only create a new version.');
          return { ARN: secret.arn, Name: secret.name, VersionId: t, VersionStages: [...existing.stages] };
        }
        const version = this.addVersion(secret, t, stored(value), stages);
        return { ARN: secret.arn, Name: secret.name, VersionId: t, VersionStages: [...version.stages] };
      }
      case 'GetSecretValue': {
        const secret = live();
        const versionId = input.VersionId as string | undefined;
        const stage = (input.VersionStage as string | undefined) ?? (versionId ? undefined : 'AWSCURRENT');
        const version = [...secret.versions.values()].find((v) => (!versionId || v.id === versionId) && (!stage || v.stages.has(stage)));
        if (!version)
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`}`,
          );
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.id,
          SecretString: version.value,
          VersionStages: [...version.stages],
          CreatedDate: version.created,
        };
      }
      case 'DescribeSecret': {
        const secret = this.find(id);
        if (!secret) throw new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return {
          ARN: secret.arn,
          Name: secret.name,
          ...(secret.description ? { Description: secret.description } : {}),
          ...(secret.kmsKeyId ? { KmsKeyId: secret.kmsKeyId } : {}),
          Tags: [...secret.tags].map(([Key, Value]) => ({ Key, Value })),
          VersionIdsToStages: Object.fromEntries(
            [...secret.versions.values()].filter((v) => v.stages.size > 0).map((v) => [v.id, [...v.stages]]),
          ),
          CreatedDate: secret.created,
          ...(secret.deleted !== undefined ? { DeletedDate: secret.deleted } : {}),
        };
      }
      case 'UpdateSecretVersionStage': {
        const secret = live();
        const stage = String(input.VersionStage ?? '');
        const to = input.MoveToVersionId as string | undefined;
        const from = input.RemoveFromVersionId as string | undefined;
        const holder = [...secret.versions.values()].find((v) => v.stages.has(stage));
        if (to && !secret.versions.has(to)) throw new AwsFault('ResourceNotFoundException', `Version ${to} not found`);
        if (holder && holder.id !== to && holder.id !== from)
          throw new AwsFault(
            'InvalidParameterException',
            `The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
          );
        if (to) this.moveStage(secret, stage, to);
        else if (from) secret.versions.get(from)?.stages.delete(stage);
        return { ARN: secret.arn, Name: secret.name };
      }
      case 'TagResource': {
        const secret = live();
        for (const tag of (input.Tags as { Key: string; Value: string }[]) ?? []) secret.tags.set(tag.Key, tag.Value);
        return {};
      }
      case 'RestoreSecret': {
        const secret = this.find(id);
        if (!secret) throw new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        delete secret.deleted;
        return { ARN: secret.arn, Name: secret.name };
      }
      case 'ListSecrets': {
        const list = [...this.secrets.values()].filter((s) => s.deleted === undefined).slice(0, Number(input.MaxResults ?? 100));
        return { SecretList: list.map((s) => ({ ARN: s.arn, Name: s.name })) };
      }
      default:
        throw new AwsFault('UnknownOperationException', `Unknown operation ${action}`);
    }
  }
}
