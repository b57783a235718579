// The web host transport: the same KeyturnBridge the Electron preload gives, over POST /ipc/<channel> on this origin.
import { CHANNELS, type Channel, type KeyturnBridge, type RequestOf, type ResponseOf } from '../../../shared/ipc/contract.js';
import type { IpcResult } from '../../../shared/ipc/result.js';
import { takeSessionToken } from './session-token.js';

function refused(message: string): IpcResult<never> {
  return { ok: false, error: { code: 'forbidden', message } };
}

async function call<C extends Channel>(channel: C, req: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>> {
  const token = takeSessionToken();
  if (!token) return refused('This page has no session token: open the full address that keyturn serve printed (it ends in #token=...).');
  let response: Response;
  try {
    response = await fetch(`/ipc/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(req),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return {
      ok: false,
      error: { code: 'io', message: 'Keyturn is not answering: check that keyturn serve is still running, then reload.' },
    };
  }
  if (response.status === 401)
    return refused('The session token was refused: open the address that keyturn serve printed this time (tokens change on every start).');
  if (response.status === 403) return refused('Keyturn refused this page: open it at the exact address keyturn serve printed.');
  try {
    return (await response.json()) as IpcResult<ResponseOf<C>>;
  } catch {
    return {
      ok: false,
      error: { code: 'internal', message: `Keyturn answered with HTTP ${response.status}; reload the page and try again.` },
    };
  }
}

export function createHttpBridge(): KeyturnBridge {
  const bridge: Partial<Record<Channel, unknown>> = {};
  for (const channel of CHANNELS) bridge[channel] = (req: RequestOf<typeof channel>) => call(channel, req);
  return bridge as KeyturnBridge;
}
