// The one IPC contract: channel -> (request) => Promise<response>, assembled from one contract per feature
// (features/<feature>.ts, with its schemas beside it). Main, preload, web host and renderer derive from it.
import type { IpcResult } from './result.js';
import { APP_CHANNELS, type AppContract } from './features/app.js';
import { AUDIT_CHANNELS, type AuditContract } from './features/audit.js';
import { ENVCHECK_CHANNELS, type EnvCheckContract } from './features/envcheck.js';
import { ESCROW_CHANNELS, type EscrowContract } from './features/escrow.js';
import { GENERATE_CHANNELS, type GenerateContract } from './features/generate.js';
import { JOBS_CHANNELS, type JobsContract } from './features/jobs.js';
import { KEYS_CHANNELS, type KeysContract } from './features/keys.js';
import { REENCRYPT_CHANNELS, type ReencryptContract } from './features/reencrypt.js';
import { PUSH_CHANNELS, type PushContract } from './features/push.js';
import { ROTATION_CHANNELS, type RotationContract } from './features/rotation.js';

export type KeyturnContract = AppContract &
  GenerateContract &
  KeysContract &
  AuditContract &
  EnvCheckContract &
  JobsContract &
  ReencryptContract &
  PushContract &
  EscrowContract &
  RotationContract;

export type Channel = keyof KeyturnContract;
export type RequestOf<C extends Channel> = Parameters<KeyturnContract[C]>[0];
export type ResponseOf<C extends Channel> = Awaited<ReturnType<KeyturnContract[C]>>;

/** What the preload (Electron) or the HTTP transport (web host) gives the renderer: results as values, never throws. */
export type KeyturnBridge = { [C in Channel]: (req: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>> };

/** Every channel, for code that must enumerate them at run time (preload, web host routes). */
export const CHANNELS = [
  ...APP_CHANNELS,
  ...GENERATE_CHANNELS,
  ...KEYS_CHANNELS,
  ...AUDIT_CHANNELS,
  ...ENVCHECK_CHANNELS,
  ...JOBS_CHANNELS,
  ...REENCRYPT_CHANNELS,
  ...PUSH_CHANNELS,
  ...ESCROW_CHANNELS,
  ...ROTATION_CHANNELS,
] as const satisfies readonly Channel[];

// Fails to compile when a channel is added to a feature's contract but not to its channel list.
type MissingChannels = Exclude<Channel, (typeof CHANNELS)[number]>;
const _allChannelsListed: MissingChannels extends never ? true : MissingChannels = true;
void _allChannelsListed;

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/** The Electron ipcMain channel name for a contract channel. */
export function ipcChannelName(channel: Channel): string {
  return `keyturn:${channel}`;
}
