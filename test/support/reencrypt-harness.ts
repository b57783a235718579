// Runs the re-encryption job kind in this process against a database URL, through a FileJobContext in a temp folder,
// with the keys labelled as the keychain would name them. Tests wrap the store to inject concurrent writes or faults.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPiiStore, resolveDatabase } from '../../electron/node/db/create-pii-store.js';
import type { PiiStore } from '../../electron/node/db/pii-store.js';
import { runReencryption } from '../../electron/node/db/reencrypt/reencrypt-runner.js';
import {
  reencryptParamsSchema,
  type ReencryptCheckpoint,
  type ReencryptKeys,
  type ReencryptParams,
  type ReencryptResult,
} from '../../electron/node/db/reencrypt/reencrypt-types.js';
import { FileJobContext } from './file-job-context.js';

export interface RingKeys {
  old: string;
  new: string;
}

export function labelled(keys: RingKeys): ReencryptKeys {
  return { newKey: { label: 'pii-enc-key@v2', value: keys.new }, oldKeys: [{ label: 'pii-enc-key@v1', value: keys.old }] };
}

export async function storeFor(url: string): Promise<PiiStore> {
  return openPiiStore(await resolveDatabase({ dbEnv: 'DATABASE_URL' }, { DATABASE_URL: url }));
}

export interface JobRun {
  url: string;
  keys: RingKeys;
  params: Partial<ReencryptParams> & { table: string; columns: string[] };
  /** The job folder: reuse one to resume. */
  dir?: string;
  workers?: number;
  wrapStore?: (store: PiiStore) => PiiStore;
  onCommit?: (ctx: FileJobContext<ReencryptParams, ReencryptCheckpoint>, commits: number) => void;
}

export function jobDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyturn-reencrypt-job-'));
}

export async function runJob(
  run: JobRun,
): Promise<{ result: ReencryptResult; ctx: FileJobContext<ReencryptParams, ReencryptCheckpoint>; dir: string }> {
  const dir = run.dir ?? jobDir();
  const params = reencryptParamsSchema.parse({ dbEnv: 'DATABASE_URL', ...run.params });
  const ctx = await FileJobContext.open<ReencryptParams, ReencryptCheckpoint>(dir, params);
  if (run.onCommit) ctx.onCommit = (n) => run.onCommit!(ctx, n);
  const result = await runReencryption(ctx, {
    openStore: async () => {
      const store = await storeFor(run.url);
      return run.wrapStore ? run.wrapStore(store) : store;
    },
    keys: async () => labelled(run.keys),
    ...(run.workers ? { workers: run.workers } : {}),
  });
  return { result, ctx, dir };
}

export async function outputOf(ctx: FileJobContext<unknown, unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const record of ctx.readOutput()) out.push(record);
  return out;
}
