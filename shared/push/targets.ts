// Push targets as kept in KEYTURN_HOME/targets.json: where a secret goes and how to reach it, never a credential.
import { z } from 'zod';
import { KeyturnError } from '../domain/errors.js';

export const AZURE_CREDENTIAL_KINDS = ['default', 'environment', 'cli', 'managed-identity'] as const;
export type AzureCredentialKind = (typeof AZURE_CREDENTIAL_KINDS)[number];

export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;
const AWS_PROFILE = /^[A-Za-z0-9_.+@-]{1,64}$/;
const KMS_KEY_ID = /^[A-Za-z0-9:/_.-]{1,2048}$/;
const TENANT = /^[A-Za-z0-9.-]{1,128}$/;
const API_VERSION = /^([0-9]+\.[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2})(-preview(\.[0-9]+)?)?$/;

export interface AwsTarget {
  kind: 'aws';
  name: string;
  region: string;
  /** A profile of the shared config/credentials files; credentials themselves come only from the SDK's default chain. */
  profile?: string;
  /** LocalStack, a VPC endpoint or a test server. */
  endpoint?: string;
  /** The KMS key new secrets are encrypted with (id, ARN or alias/...). */
  kmsKeyId?: string;
}

export interface AzureTarget {
  kind: 'azure';
  name: string;
  vaultUrl: string;
  tenant?: string;
  credential: AzureCredentialKind;
  /** Sovereign clouds and test hosts; AZURE_AUTHORITY_HOST is honoured when this is unset. */
  authorityHost?: string;
  /** Key Vault's api-version, for endpoints that lag behind the SDK's default (Azure Stack Hub). */
  apiVersion?: string;
  /** PEM file of extra CAs to trust (a private CA or a TLS-inspecting proxy), for the vault and the login host. */
  caFile?: string;
  /** False for a vault reached through a custom domain, where the challenge's resource does not match the host. */
  challengeResourceCheck: boolean;
}

export type Target = AwsTarget | AzureTarget;

export interface TargetsFile {
  format: 1;
  targets: Target[];
}

const awsSchema = z.object({
  kind: z.literal('aws'),
  name: z.string().regex(TARGET_NAME),
  region: z.string().regex(AWS_REGION),
  profile: z.string().regex(AWS_PROFILE).optional(),
  endpoint: z.string().optional(),
  kmsKeyId: z.string().regex(KMS_KEY_ID).optional(),
});

const azureSchema = z.object({
  kind: z.literal('azure'),
  name: z.string().regex(TARGET_NAME),
  vaultUrl: z.string(),
  tenant: z.string().regex(TENANT).optional(),
  credential: z.enum(AZURE_CREDENTIAL_KINDS),
  authorityHost: z.string().optional(),
  apiVersion: z.string().regex(API_VERSION).optional(),
  caFile: z.string().optional(),
  challengeResourceCheck: z.boolean(),
});

export const targetSchema = z.discriminatedUnion('kind', [awsSchema, azureSchema]);
export const targetsFileSchema = z.object({ format: z.literal(1), targets: z.array(targetSchema) });

function bad(message: string): KeyturnError {
  return new KeyturnError('invalid-input', message);
}

/** A URL for a service endpoint: the scheme given, no user or password in it (targets.json never holds a credential), no query. */
function checkUrl(text: string, what: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(`The ${what} is not a URL; give it as ${schemes[0]}//host[:port].`);
  }
  if (!schemes.includes(url.protocol)) throw bad(`The ${what} must start with ${schemes.join(' or ')}//.`);
  if (url.username || url.password)
    throw bad(`The ${what} holds a user name or password; Keyturn never stores a credential, so leave it out of the URL.`);
  if (url.search || url.hash) throw bad(`The ${what} must not have a query or fragment.`);
  return url.origin + (url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, ''));
}

/** Validates a target as typed by a user (CLI flags, the UI form) and returns it normalised; each problem has its own sentence. */
export function checkTarget(input: Target): Target {
  if (!TARGET_NAME.test(input.name)) throw bad('A target name is 1-64 letters, digits, . _ or -, starting with a letter or digit.');
  if (input.kind === 'aws') {
    if (!AWS_REGION.test(input.region)) throw bad('The AWS region must look like eu-west-1 or us-gov-west-1.');
    if (input.profile !== undefined && !AWS_PROFILE.test(input.profile))
      throw bad('The AWS profile name is 1-64 letters, digits or _ . + @ -.');
    if (input.kmsKeyId !== undefined && !KMS_KEY_ID.test(input.kmsKeyId))
      throw bad('The KMS key must be a key id, a key ARN, or alias/NAME.');
    const out: AwsTarget = { kind: 'aws', name: input.name, region: input.region };
    if (input.profile !== undefined) out.profile = input.profile;
    if (input.endpoint !== undefined) out.endpoint = checkUrl(input.endpoint, 'endpoint URL', ['https:', 'http:']);
    if (input.kmsKeyId !== undefined) out.kmsKeyId = input.kmsKeyId;
    return out;
  }
  if (input.kind === 'azure') {
    const vaultUrl = checkUrl(input.vaultUrl, 'vault URL', ['https:']);
    if (new URL(vaultUrl).pathname !== '/')
      throw bad('The vault URL is the vault itself, like https://NAME.vault.azure.net, without a path.');
    if (!(AZURE_CREDENTIAL_KINDS as readonly string[]).includes(input.credential))
      throw bad(`The Azure credential is one of ${AZURE_CREDENTIAL_KINDS.join(', ')}.`);
    if (input.tenant !== undefined && !TENANT.test(input.tenant)) throw bad('The tenant is a directory id (GUID) or a domain name.');
    if (input.apiVersion !== undefined && !API_VERSION.test(input.apiVersion))
      throw bad('The api-version looks like 7.4 or 2025-07-01 (optionally with -preview).');
    const out: AzureTarget = { kind: 'azure', name: input.name, vaultUrl, credential: input.credential, challengeResourceCheck: true };
    if (input.tenant !== undefined) out.tenant = input.tenant;
    if (input.authorityHost !== undefined) out.authorityHost = checkUrl(input.authorityHost, 'authority host', ['https:']);
    if (input.apiVersion !== undefined) out.apiVersion = input.apiVersion;
    if (input.caFile !== undefined) {
      if (input.caFile.length === 0 || input.caFile.includes('\0')) throw bad('The CA file must be a path to a PEM file.');
      out.caFile = input.caFile;
    }
    if (input.challengeResourceCheck === false) out.challengeResourceCheck = false;
    return out;
  }
  throw bad('A target is either aws or azure.');
}

/** What a target is, in a few words, for lists and audit lines: "aws eu-west-1", "azure https://kv.vault.azure.net". */
export function describeTarget(target: Target): string {
  if (target.kind === 'aws') return `aws ${target.region}${target.endpoint ? ` via ${target.endpoint}` : ''}`;
  return `azure ${target.vaultUrl}`;
}
