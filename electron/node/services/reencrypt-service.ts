// Re-encryption of stored PII as a use case: the `reencrypt` job kind (run, dry run, resume through the job runner),
// scan and verify, and the guard that keeps `keys retire` from deleting a version an unfinished job still needs.
// Keys come from the keychain (audited reads) or environment variables; the database URL from a variable or .env file.
import { resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { parseKeyRef } from '../../../shared/domain/key-names.js';
import { openPiiStore, resolveDatabase, type DatabaseSource } from '../db/create-pii-store.js';
import type { PiiStore } from '../db/pii-store.js';
import type { CensusReport, TableCensus } from '../../../shared/domain/reencrypt.js';
import { allUnderNewKey, scanTokens, verifyTokens } from '../db/reencrypt/column-census.js';
import { runReencryption } from '../db/reencrypt/reencrypt-runner.js';
import {
  reencryptParamsSchema,
  type ReencryptCheckpoint,
  type ReencryptKeys,
  type ReencryptParams,
  type ReencryptResult,
} from '../db/reencrypt/reencrypt-types.js';
import type { JobKind } from '../jobs/job-kind.js';
import { JobFiles } from '../jobs/job-files.js';
import type { FernetService } from './fernet-service.js';

/** Where the keys come from, by name: a keychain key (its current version encrypts, the others decrypt) or variables. */
export interface ReencryptKeySource {
  keyName?: string;
  newKeyEnv?: string;
  oldKeyEnv?: string;
}

export interface ScanRequest extends DatabaseSource, ReencryptKeySource {
  table?: string;
  schema?: string;
  cwd?: string;
}

export interface VerifyRequest extends DatabaseSource, ReencryptKeySource {
  table: string;
  columns: string[];
  pk?: string[];
  schema?: string;
  cwd?: string;
}

export interface ReencryptService {
  readonly job: JobKind<ReencryptParams, ReencryptCheckpoint, ReencryptResult>;
  scan(request: ScanRequest, options?: { signal?: AbortSignal }): Promise<CensusReport>;
  verify(request: VerifyRequest, options?: { signal?: AbortSignal }): Promise<CensusReport>;
  /** Throws `refused`, naming the job, when an unfinished re-encryption job still needs `name@v<version>`. */
  guardRetire(name: string, version: number): Promise<void>;
  /**
   * Checks, before a job starts, what can be checked without reading a secret from the keychain: the key flags, keys
   * in environment variables, and the database variable, so a typo is a usage error rather than a failed job.
   */
  preflight(request: DatabaseSource & ReencryptKeySource & { dryRun?: boolean; cwd?: string }): Promise<void>;
}

export interface ReencryptDeps {
  fernet: Pick<FernetService, 'keyTexts'>;
  /** KEYTURN_HOME/jobs, read by the retirement guard. */
  jobsDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: () => string;
  /** Crypto worker threads (tests pin it). */
  workers?: number;
}

const UNFINISHED = new Set(['running', 'pausing', 'paused', 'cancelling', 'interrupted', 'failed']);

export function createReencryptService(deps: ReencryptDeps): ReencryptService {
  const env = (): NodeJS.ProcessEnv => deps.env ?? process.env;
  const cwdOf = deps.cwd ?? (() => process.cwd());

  async function keys(source: ReencryptKeySource, purpose: string, needOld: boolean, signal?: AbortSignal): Promise<ReencryptKeys> {
    if (source.keyName !== undefined && source.newKeyEnv !== undefined)
      throw new KeyturnError('usage', 'Give the new key with --key NAME or with --new-key-env VAR, not both.');
    if (source.keyName === undefined && source.newKeyEnv === undefined)
      throw new KeyturnError(
        'usage',
        'Give the keys with --key NAME (a Fernet key in the keychain: its current version encrypts, its other versions decrypt) or --new-key-env VAR with --old-key-env VAR.',
      );
    const texts = await deps.fernet.keyTexts(
      {
        ...(source.keyName !== undefined ? { key: source.keyName } : {}),
        ...(source.newKeyEnv !== undefined ? { keyEnv: source.newKeyEnv } : {}),
        ...(source.oldKeyEnv !== undefined ? { oldKeyEnv: source.oldKeyEnv } : {}),
      },
      { purpose, env: env(), ...(signal ? { signal } : {}) },
    );
    const [newKey, ...rest] = texts.current;
    const oldKeys = [...rest, ...texts.old];
    if (!newKey) throw new KeyturnError('not-found', 'No new key was found.');
    if (needOld && oldKeys.length === 0)
      throw new KeyturnError(
        'invalid-input',
        source.keyName !== undefined
          ? `${source.keyName} has only one version in the keychain, so there is nothing to re-encrypt from: rotate it first (keyturn keys rotate ${source.keyName}), or give the old key with --old-key-env VAR.`
          : 'Give the old key(s) with --old-key-env VAR: without them no stored token can be re-encrypted.',
      );
    return { newKey, oldKeys };
  }

  async function open(source: DatabaseSource, cwd: string): Promise<PiiStore> {
    return openPiiStore(await resolveDatabase(source, env(), cwd));
  }

  function sourceOf(request: DatabaseSource): DatabaseSource {
    return { dbEnv: request.dbEnv, ...(request.envFile !== undefined ? { envFile: request.envFile } : {}) };
  }

  const job: JobKind<ReencryptParams, ReencryptCheckpoint, ReencryptResult> = {
    kind: 'reencrypt',
    unit: 'rows',
    params: reencryptParamsSchema,
    prepare(request, caller) {
      const params = reencryptParamsSchema.parse(request);
      // A resume from another folder or process must reach the same database and files.
      return {
        ...params,
        cwd: params.cwd ?? caller.cwd,
        ...(params.envFile ? { envFile: resolve(params.cwd ?? caller.cwd, params.envFile) } : {}),
      };
    },
    title(params) {
      const where = `${params.schema ? `${params.schema}.` : ''}${params.table} (${params.columns.join(', ')})`;
      return `${params.dryRun ? 'Dry run: re-encrypt' : 'Re-encrypt'} ${where}`;
    },
    audit: {
      key: (params) => (params.keyName ? parseKeyRef(params.keyName).name : `env:${params.newKeyEnv ?? 'unknown'}`),
      detail: (_params, progress) =>
        `${progress.done.toLocaleString('en-US')} of ${(progress.total ?? progress.done).toLocaleString('en-US')} rows; ${progress.phase}`,
    },
    run(ctx) {
      const { params } = ctx;
      return runReencryption(ctx, {
        openStore: () => open(sourceOf(params), params.cwd ?? cwdOf()),
        keys: () => keys(params, `reencrypt job ${ctx.id}`, !params.dryRun, ctx.signal),
        ...(deps.workers ? { workers: deps.workers } : {}),
      });
    },
  };

  async function census(
    request: DatabaseSource & ReencryptKeySource & { cwd?: string },
    purpose: string,
    signal: AbortSignal | undefined,
    count: (store: PiiStore, ring: ReencryptKeys) => Promise<TableCensus[]>,
  ): Promise<CensusReport> {
    const ring = await keys(request, purpose, false, signal);
    const store = await open(sourceOf(request), request.cwd ?? cwdOf());
    try {
      const tables = await count(store, ring);
      return { database: store.description, keyLabels: { newKey: ring.newKey.label, oldKeys: ring.oldKeys.map((k) => k.label) }, tables };
    } finally {
      await store.close();
    }
  }

  return {
    job,
    async preflight(request) {
      if (request.keyName === undefined) await keys(request, 'reencrypt preflight', request.dryRun !== true);
      else if (request.newKeyEnv !== undefined)
        throw new KeyturnError('usage', 'Give the new key with --key NAME or with --new-key-env VAR, not both.');
      await resolveDatabase(sourceOf(request), env(), request.cwd ?? cwdOf());
    },
    scan(request, options = {}) {
      return census(request, 'reencrypt scan', options.signal, (store, ring) =>
        scanTokens(
          store,
          { ...(request.table ? { table: request.table } : {}), ...(request.schema ? { schema: request.schema } : {}) },
          { keys: ring, ...(options.signal ? { signal: options.signal } : {}), ...(deps.workers ? { workers: deps.workers } : {}) },
        ),
      );
    },
    async verify(request, options = {}) {
      const report = await census(request, 'reencrypt verify', options.signal, (store, ring) =>
        verifyTokens(
          store,
          {
            table: request.table,
            columns: request.columns,
            ...(request.pk ? { pk: request.pk } : {}),
            ...(request.schema ? { schema: request.schema } : {}),
          },
          { keys: ring, ...(options.signal ? { signal: options.signal } : {}), ...(deps.workers ? { workers: deps.workers } : {}) },
        ),
      );
      return { ...report, safeToRetire: allUnderNewKey(report.tables) };
    },
    async guardRetire(name, version) {
      const files = new JobFiles(deps.jobsDir);
      const ids = await files.ids().catch(() => [] as string[]);
      for (const id of ids) {
        const record = await files.read(id).catch(() => undefined);
        if (!record || record.kind !== 'reencrypt' || !UNFINISHED.has(record.state)) continue;
        const params = record.params as Partial<ReencryptParams>;
        if (!params.keyName || parseKeyRef(params.keyName).name !== name) continue;
        const checkpoint = record.checkpoint as ReencryptCheckpoint | undefined;
        // Before its first commit a job may still need every version; after it, the versions it decrypts with.
        const needed = checkpoint ? checkpoint.keyLabels.oldKeys.includes(`${name}@v${version}`) : true;
        if (needed)
          throw new KeyturnError(
            'refused',
            `${name}@v${version} is still needed by re-encryption job ${id} (${record.state}): finish it with "keyturn reencrypt resume ${id}" (or cancel it with "keyturn jobs cancel ${id}") before retiring this version.`,
          );
      }
    },
  };
}

export type { CensusReport };
