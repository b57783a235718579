// The only ipcMain user: one handler per contract channel that checks the sender, then runs the shared handler table.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { KeyturnError } from '../../shared/domain/errors.js';
import { CHANNELS, ipcChannelName } from '../../shared/ipc/contract.js';
import { fail, type IpcResult } from '../../shared/ipc/result.js';
import type { HandlerTable } from '../node/ipc-handlers/handlers.js';
import { invokeChannel, logUnexpected } from '../node/ipc-handlers/invoke.js';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Registers every channel; returns a function that removes them again. */
export function registerIpcHandlers(handlers: HandlerTable, isTrusted: SenderCheck): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), async (event, payload: unknown): Promise<IpcResult<unknown>> => {
      if (!isTrusted(event)) {
        console.error(`keyturn: refused ${channel} from an untrusted frame`);
        return fail(new KeyturnError('forbidden', 'This request did not come from the Keyturn window; it was refused.'));
      }
      return invokeChannel(handlers, channel, payload, { onUnexpected: logUnexpected });
    });
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannelName(channel));
  };
}
