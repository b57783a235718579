// Azure SDK failures (Key Vault REST errors, identity errors) as coded sentences: the Key Vault permission that was
// missing, the credential steps tried, the soft-deleted secret. Only status codes, error codes and the RBAC action
// Key Vault names are read from the error, never its raw message.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { AzureCredentialKind } from '../../../shared/push/targets.js';
import { abortedBy, networkError, safeCode, serverError, throttledError, type CloudContext } from './cloud-errors.js';

/** The Key Vault operation, its access-policy permission and its RBAC data action. */
export type KeyVaultOperation = 'get' | 'set' | 'list' | 'recover' | 'getDeleted';

const PERMISSIONS: Record<KeyVaultOperation, { policy: string; rbac: string; role: string }> = {
  get: { policy: 'Get', rbac: 'Microsoft.KeyVault/vaults/secrets/getSecret/action', role: 'Key Vault Secrets User' },
  set: { policy: 'Set', rbac: 'Microsoft.KeyVault/vaults/secrets/setSecret/action', role: 'Key Vault Secrets Officer' },
  list: { policy: 'List', rbac: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action', role: 'Key Vault Reader' },
  recover: { policy: 'Recover', rbac: 'Microsoft.KeyVault/vaults/deletedsecrets/recover/action', role: 'Key Vault Secrets Officer' },
  getDeleted: { policy: 'Get (deleted secrets)', rbac: 'Microsoft.KeyVault/vaults/deletedsecrets/read', role: 'Key Vault Secrets Officer' },
};

const CHAIN_STEPS: Record<AzureCredentialKind, string> = {
  default:
    'DefaultAzureCredential, which tried environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH), workload identity, managed identity, the Azure CLI, the Azure Developer CLI and Azure PowerShell',
  environment:
    'EnvironmentCredential, which needs AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (or AZURE_USERNAME and AZURE_PASSWORD)',
  cli: 'AzureCliCredential, which needs "az login" (the az command on PATH, signed in)',
  'managed-identity':
    'ManagedIdentityCredential, which needs a managed identity endpoint (an Azure VM, App Service, container or Arc host)',
};

export interface AzureErrorContext extends CloudContext {
  operation: KeyVaultOperation;
  credential: AzureCredentialKind;
  signal?: AbortSignal | undefined;
  /** How many attempts were made (our own write loop counts them). */
  attempts?: number;
}

interface AzureError {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: string; innerError?: { code?: string } } };
  errorResponse?: { error?: string };
  errors?: unknown[];
}

const RBAC_ACTION = /Action: '(Microsoft\.KeyVault\/[A-Za-z/]{1,120})'/;

function secretPhrase(ctx: AzureErrorContext): string {
  return ctx.secret ? `secret ${ctx.secret}` : 'secrets';
}

export function mapAzureError(error: unknown, ctx: AzureErrorContext): KeyturnError {
  const aborted = abortedBy(ctx.signal);
  if (aborted) return aborted;
  if (error instanceof KeyturnError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as AzureError;
  const name = e.name ?? '';
  const message = e.message ?? '';
  const status = e.statusCode;
  const code = e.details?.error?.code ?? e.code;
  const inner = e.details?.error?.innerError?.code;
  const attempts = ctx.attempts ?? 1;

  if (name === 'AbortError') return new KeyturnError('cancelled', `The call to ${ctx.service} (${ctx.where}) was cancelled.`);
  if (name === 'CredentialUnavailableError' || name === 'AggregateAuthenticationError') {
    return new KeyturnError(
      'no-credentials',
      `No Azure credentials were available for ${ctx.where}: Keyturn used ${CHAIN_STEPS[ctx.credential]}. Set that up (or choose another --credential), then try again; Keyturn never asks for or stores a secret.`,
    );
  }
  if (name === 'AuthenticationError' || name === 'AuthenticationRequiredError') {
    const net = networkError(error, { ...ctx, host: 'the login host' }, 'add its CA with --ca-file');
    if (net) return net;
    const why = safeCode(e.errorResponse?.error);
    return new KeyturnError(
      'no-credentials',
      `The login host refused the Azure credentials for ${ctx.where}${why ? ` (${why})` : ''}: the client secret or certificate is wrong or expired, or the app is not in that tenant. Check ${CHAIN_STEPS[ctx.credential].split(',')[0]} and try again.`,
    );
  }
  if (/challenge resource .* does not match the requested domain/.test(message)) {
    return new KeyturnError(
      'refused',
      `The vault at ${ctx.where} asked for a token for another domain than its own, so Keyturn sent none. If the vault is reached through a custom domain on purpose, add the target again with --no-challenge-resource-check.`,
    );
  }
  const net = networkError(error, ctx, 'add its CA to the target with --ca-file');
  if (net) return net;
  if (status === 401) {
    return new KeyturnError(
      'no-credentials',
      `${ctx.service} (${ctx.where}) did not accept the token from ${CHAIN_STEPS[ctx.credential].split(',')[0]}; check that the identity belongs to the vault's tenant (--tenant).`,
    );
  }
  if (status === 403) {
    const p = PERMISSIONS[ctx.operation];
    const named = RBAC_ACTION.exec(message)?.[1];
    return new KeyturnError(
      'access-denied',
      `${ctx.service} (${ctx.where}) denied the secrets ${p.policy} permission on ${secretPhrase(ctx)} to the identity Keyturn uses${inner ? ` (${safeCode(inner)})` : ''}: grant it (RBAC: ${named ?? p.rbac}, e.g. the ${p.role} role; or an access policy with secret ${p.policy}).`,
    );
  }
  if (status === 404) return new KeyturnError('not-found', `${ctx.service} ${ctx.where} has no ${secretPhrase(ctx)}.`);
  if (status === 409 && (inner === 'ObjectIsDeletedButRecoverable' || /deleted but recoverable/i.test(message))) {
    return new KeyturnError(
      'deleted-recoverable',
      `${ctx.secret ?? 'The secret'} is deleted but recoverable in ${ctx.where}; recover it (push again with --recover) or purge it, then push again.`,
    );
  }
  if (status === 429) return throttledError(ctx, attempts);
  if (status === 413 || (status === 400 && /too large|too long|exceed/i.test(message))) {
    return new KeyturnError(
      'value-too-large',
      `${ctx.service} (${ctx.where}) refused ${secretPhrase(ctx)} as too large; Key Vault stores at most 25 KB per secret.`,
    );
  }
  if (status === 400 && code === 'BadParameter' && /version/i.test(message)) {
    return new KeyturnError(
      'invalid-input',
      `${ctx.service} (${ctx.where}) does not support the api-version Keyturn sent; add the target again with --api-version set to one it supports (Azure Stack Hub often needs 2016-10-01 or 7.0).`,
    );
  }
  if (status === 400) {
    return new KeyturnError(
      'invalid-input',
      `${ctx.service} (${ctx.where}) refused the request for ${secretPhrase(ctx)} as invalid (${safeCode(code) ?? 'BadParameter'}).`,
    );
  }
  return serverError(ctx, status, safeCode(code), attempts);
}
