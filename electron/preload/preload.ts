// Sandboxed preload: exposes window.keyturn with one function per contract channel, nothing else (never ipcRenderer).
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, ipcChannelName, type KeyturnBridge } from '../../shared/ipc/contract.js';

const bridge: Record<string, (req: unknown) => Promise<unknown>> = {};
for (const channel of CHANNELS) {
  const name = ipcChannelName(channel);
  // Results come back as IpcResult values; a thrown error would lose its code crossing the context bridge.
  bridge[channel] = (req: unknown) => ipcRenderer.invoke(name, req);
}

contextBridge.exposeInMainWorld('keyturn', Object.freeze(bridge) as unknown as KeyturnBridge);
