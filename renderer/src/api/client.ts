// The renderer's only door to the host: window.keyturn (Electron preload) or the web host over fetch; errors thrown with their code.
import {
  CHANNELS,
  type Channel,
  type KeyturnBridge,
  type KeyturnContract,
  type RequestOf,
  type ResponseOf,
} from '../../../shared/ipc/contract.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isReleaseChallenge } from '../../../shared/domain/release.js';
import { unwrap, type IpcResult } from '../../../shared/ipc/result.js';
import { createHttpBridge } from './http-bridge.js';
import { askForCode } from './release-prompt.js';

declare global {
  interface Window {
    keyturn?: KeyturnBridge;
  }
}

function pickBridge(): KeyturnBridge {
  // The preload defines window.keyturn in Electron; everywhere else the page came from `keyturn serve`.
  return window.keyturn ?? createHttpBridge();
}

function method<C extends Channel>(bridge: KeyturnBridge, channel: C): KeyturnContract[C] {
  const send = bridge[channel] as (req: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
  return (async (req: RequestOf<C>) => {
    const result = await send(req);
    // A secret leaves the web host only with the code it printed on its terminal: ask the user, then send again.
    if (!result.ok && result.error.code === 'confirmation-required' && isReleaseChallenge(result.error.details)) {
      const challenge = result.error.details;
      const code = await askForCode(challenge);
      if (code === null) throw new KeyturnError('cancelled', 'Cancelled; nothing was let out.');
      return unwrap(await send({ ...req, confirmation: { challenge: challenge.challenge, code } }));
    }
    return unwrap(result);
  }) as KeyturnContract[C];
}

function createClient(bridge: KeyturnBridge): KeyturnContract {
  const client: Partial<Record<Channel, unknown>> = {};
  for (const channel of CHANNELS) client[channel] = method(bridge, channel);
  return client as KeyturnContract;
}

export const api: KeyturnContract = createClient(pickBridge());
