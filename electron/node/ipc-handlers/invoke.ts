// The one path from an untrusted payload to a handler: known channel, zod-parsed request, errors returned as values.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isChannel, type Channel } from '../../../shared/ipc/contract.js';
import { fail, ok, type IpcResult } from '../../../shared/ipc/result.js';
import { REQUEST_SCHEMAS, describeIssues } from '../../../shared/ipc/schemas.js';
import type { Handler, HandlerTable } from './handlers.js';

/** Told about errors that are not KeyturnErrors (bugs, library failures) so the host can log their type, not their text. */
export type UnexpectedErrorSink = (channel: string, error: unknown) => void;

export async function invokeChannel(
  handlers: HandlerTable,
  channel: string,
  payload: unknown,
  options: { signal?: AbortSignal; onUnexpected?: UnexpectedErrorSink } = {},
): Promise<IpcResult<unknown>> {
  if (!isChannel(channel))
    return fail(new KeyturnError('invalid-input', `"${channel.slice(0, 40)}" is not a Keyturn channel; update the app.`));
  const parsed = REQUEST_SCHEMAS[channel].safeParse(payload ?? {});
  if (!parsed.success) {
    return fail(
      new KeyturnError(
        'invalid-input',
        `The request for ${channel} was refused (${describeIssues(parsed.error)}); correct the field and try again.`,
      ),
    );
  }
  try {
    // The table is keyed by channel, so this handler takes this channel's parsed request.
    const handler = handlers[channel] as Handler<Channel>;
    return ok(await handler(parsed.data as never, options.signal));
  } catch (error) {
    if (!(error instanceof KeyturnError)) options.onUnexpected?.(channel, error);
    return fail(error);
  }
}

/** Logs only an unexpected error's type (its message might hold secret material from a library); the stack with KEYTURN_DEBUG=1. */
export function logUnexpected(channel: string, error: unknown): void {
  const name = error instanceof Error ? error.name : typeof error;
  console.error(`keyturn: ${channel} failed with an unexpected ${name}`);
  if (process.env.KEYTURN_DEBUG === '1' && error instanceof Error && error.stack) console.error(error.stack);
}
