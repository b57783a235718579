// AWS SDK failures as coded sentences: the IAM action that was missing, the chain steps tried for credentials, the
// secret that is scheduled for deletion. Only the error's name and a parsed ARN are used, never its raw message.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { abortedBy, networkError, safeCode, serverError, throttledError, type CloudContext } from './cloud-errors.js';

export interface AwsErrorContext extends CloudContext {
  /** The API call, e.g. PutSecretValue; the IAM action is secretsmanager:<call>. */
  call: string;
  region: string;
  profile?: string;
  kmsKeyId?: string;
  signal?: AbortSignal | undefined;
  env: NodeJS.ProcessEnv;
}

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const REJECTED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'SignatureDoesNotMatch',
]);
const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling']);
const ARN = /\b(arn:aws[a-z-]*:(?:iam|sts)::[0-9]{12}:[A-Za-z0-9/+=,.@_-]{1,200})/;

/** The principal named in an AccessDenied message ("User: arn:aws:iam::...:user/x is not authorized ..."), if any. */
export function principalOf(message: string | undefined): string | undefined {
  return message ? ARN.exec(message)?.[1] : undefined;
}

function chainSteps(ctx: AwsErrorContext): string {
  const imds = /^(1|true)$/i.test(ctx.env.AWS_EC2_METADATA_DISABLED ?? '')
    ? ' (instance metadata is switched off by AWS_EC2_METADATA_DISABLED)'
    : '';
  const profile = ctx.profile ?? ctx.env.AWS_PROFILE ?? 'default';
  return (
    `environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), SSO, the shared config and credentials files (profile "${profile}"), ` +
    `credential_process, a web identity token file, and container and instance metadata${imds}`
  );
}

function secretPhrase(ctx: AwsErrorContext): string {
  return ctx.secret ? `secret ${ctx.secret}` : 'secrets';
}

export function mapAwsError(error: unknown, ctx: AwsErrorContext): KeyturnError {
  const aborted = abortedBy(ctx.signal);
  if (aborted) return aborted;
  if (error instanceof KeyturnError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const name = e.name ?? '';
  const message = e.message ?? '';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts ?? 1;
  const where = `${ctx.service} (${ctx.where})`;

  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new KeyturnError(
      'no-credentials',
      `No AWS credentials were found for ${where}. Keyturn uses only the SDK's default chain and tried ${chainSteps(ctx)}. Set one of them up (for example "aws configure" or "aws sso login"); Keyturn never asks for, prints or stores an access key.`,
    );
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return new KeyturnError(
      'no-credentials',
      `${where} rejected the credentials from the SDK's default chain (${name}): the access key is unknown, expired, or its clock is off. Refresh them (for example "aws sso login") and try again.`,
    );
  }
  if (name === 'AbortError') return new KeyturnError('cancelled', `The call to ${where} was cancelled.`);
  const net = networkError(error, ctx, 'point AWS_CA_BUNDLE (or ca_bundle in the AWS config file) at its CA');
  if (net) return net;
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException') {
    return new KeyturnError(
      'timeout',
      `${where} did not answer in time (${attempts} attempts); check the network or the endpoint and try again.`,
    );
  }
  if (THROTTLING.has(name) || status === 429) return throttledError(ctx, attempts);
  if (
    name === 'EncryptionFailure' ||
    name === 'DecryptionFailure' ||
    name.startsWith('KMS') ||
    (name === 'AccessDeniedException' && /\bKMS\b/i.test(message))
  ) {
    const key = ctx.kmsKeyId ? `The KMS key ${ctx.kmsKeyId}` : "The secret's KMS key";
    return new KeyturnError(
      'kms-unusable',
      `${key} could not be used for ${secretPhrase(ctx)} in ${ctx.region} (${name}): check that it exists in that region, is enabled, and that the identity may use it (kms:GenerateDataKey and kms:Decrypt).`,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    const principal = principalOf(message);
    return new KeyturnError(
      'access-denied',
      `${where} denied secretsmanager:${ctx.call} on ${secretPhrase(ctx)}${principal ? ` to ${principal}` : ''}: grant that IAM action to the identity Keyturn uses, then try again.`,
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new KeyturnError('not-found', `${ctx.service} can't find ${secretPhrase(ctx)} in ${ctx.region}.`);
  }
  if (name === 'InvalidRequestException' && /deletion/i.test(message)) {
    return new KeyturnError(
      'deleted-recoverable',
      `${ctx.secret ?? 'The secret'} is scheduled for deletion in ${ctx.region}; restore it (push again with --recover) or wait until it is deleted, then push again.`,
    );
  }
  if (name === 'ResourceExistsException') {
    return new KeyturnError(
      'conflict',
      `${ctx.secret ?? 'The secret'} appeared in ${ctx.region} while Keyturn was pushing (or this version already exists with other content); run the push again to see a fresh plan.`,
    );
  }
  if (name === 'LimitExceededException') {
    return new KeyturnError(
      'refused',
      `${where} refused the call: an account quota was reached (${name}). Check the Secrets Manager quotas for ${ctx.region}.`,
    );
  }
  if (name === 'InvalidParameterException' || name === 'ValidationException' || name === 'InvalidRequestException') {
    return new KeyturnError(
      'invalid-input',
      `${where} refused ${ctx.call} for ${secretPhrase(ctx)} as invalid (${name}); check the secret name, the KMS key id and the value's size.`,
    );
  }
  return serverError(ctx, status, safeCode(name), attempts);
}
