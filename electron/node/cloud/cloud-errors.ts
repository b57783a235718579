// What both cloud adapters say when a call fails: network and TLS failures, deadlines, throttling, server errors. Each
// is a coded sentence naming the service, the place and what to do; never an SDK message, a stack, a value or a token.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { seconds, type DeadlineErrors } from '../lib/deadline.js';

export interface CloudContext {
  /** "AWS Secrets Manager" or "Azure Key Vault". */
  service: string;
  /** Region or vault URL, and the endpoint when it is not the default. */
  where: string;
  /** The host the client talks to, for network and TLS sentences. */
  host: string;
  secret?: string;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNABORTED: 'the connection was aborted',
};

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it presents a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an untrusted (self-signed) root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is issued by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is issued by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is issued by an unknown CA',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  EPROTO: 'the TLS handshake failed',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on that port',
};

/** The Node error code of `error` or of any error in its cause chain (SDKs wrap socket errors). */
export function errorCodeDeep(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 8) return undefined;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string' && (record.code in NETWORK_CODES || record.code in TLS_CODES)) return record.code;
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const found = errorCodeDeep(inner, depth + 1);
      if (found) return found;
    }
  }
  return errorCodeDeep(record.cause, depth + 1);
}

/** Network or TLS failure as a coded sentence, or undefined when `error` is neither. */
export function networkError(error: unknown, ctx: CloudContext, fix: string): KeyturnError | undefined {
  const code = errorCodeDeep(error);
  if (code === undefined) return undefined;
  if (code in TLS_CODES) {
    return new KeyturnError(
      'tls-failure',
      `Keyturn does not trust the TLS connection to ${ctx.host}: ${TLS_CODES[code]}. If a private CA or a TLS-inspecting proxy is in the way, ${fix}; nothing was sent.`,
    );
  }
  return new KeyturnError(
    'unreachable',
    `Keyturn could not reach ${ctx.service} at ${ctx.host}: ${NETWORK_CODES[code]}. Check the endpoint, your network and proxy settings, then try again.`,
  );
}

export function throttledError(ctx: CloudContext, attempts: number): KeyturnError {
  return new KeyturnError(
    'throttled',
    `${ctx.service} (${ctx.where}) kept throttling requests, still after ${attempts} attempts with back-off; wait a minute and try again, or push fewer keys at once.`,
  );
}

export function serverError(ctx: CloudContext, status: number | undefined, code: string | undefined, attempts: number): KeyturnError {
  const what = [status !== undefined ? `HTTP ${status}` : undefined, safeCode(code)].filter(Boolean).join(', ');
  return new KeyturnError(
    'remote-failed',
    `${ctx.service} (${ctx.where}) answered with an error${what ? ` (${what})` : ''}${attempts > 1 ? ` after ${attempts} attempts` : ''}; try again later. If it persists, check the service's health for ${ctx.where}.`,
  );
}

/** An error code as a service names it (ThrottlingException, SecretNotFound), shown only when it is a plain identifier. */
export function safeCode(code: unknown): string | undefined {
  return typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(code) ? code : undefined;
}

/** Deadline errors that name the service: the CLI's --timeout and the UI's cancel end here. */
export function cloudDeadlineErrors(service: string): DeadlineErrors {
  return {
    timeout: (ms) =>
      new KeyturnError(
        'timeout',
        `${service} did not answer within ${seconds(ms)} s; the write may or may not have happened. Run "keyturn push status" (or push again: the same push never makes a second version) once it answers.`,
      ),
    cancelled: () =>
      new KeyturnError(
        'cancelled',
        `The call to ${service} was cancelled; a write may already have reached it. Run "keyturn push status" to see where things stand.`,
      ),
  };
}

/** The deadline or cancel reason when `signal` ended the call, so an SDK's AbortError reads as our timeout or cancel. */
export function abortedBy(signal: AbortSignal | undefined): KeyturnError | undefined {
  return signal?.aborted && signal.reason instanceof KeyturnError ? signal.reason : undefined;
}
