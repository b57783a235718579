// Runs long work as jobs: starts them, persists every commit so kill -9 loses at most the batch in flight, answers
// status from any process, and pauses, resumes or cancels them whichever process runs them (through a control file).
import { hostname } from 'node:os';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import {
  RESUMABLE_JOB_STATES,
  SETTLED_JOB_STATES,
  type JobEvent,
  type JobEventType,
  type JobProgress,
  type JobSummary,
} from '../../../shared/domain/job.js';
import type { JobStatus } from '../../../shared/ipc/features/jobs.js';
import { describeIssues } from '../../../shared/ipc/schemas.js';
import { liveLockOwner, tryAcquireLock } from '../store/file-lock.js';
import { JobFiles, MAX_EVENTS, newJobId, readOutputRecords, type ControlRequest, type JobOutputFile, type JobRecord } from './job-files.js';
import type { JobContext, JobKind } from './job-kind.js';
import { ProgressRate } from './progress-rate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kinds differ in params, checkpoint and result
export type AnyJobKind = JobKind<any, any, any>;

export interface JobServiceDeps {
  /** KEYTURN_HOME/jobs */
  dir: string;
  /** Kinds by name, built only when a job of that kind starts or resumes (so listing loads no driver). */
  kinds: Record<string, () => AnyJobKind | Promise<AnyJobKind>>;
  /** Records job starts, pauses, resumes and ends for kinds that touch keys. */
  audit?: (event: AuditEvent) => Promise<unknown>;
  now?: () => Date;
}

export interface RunOptions {
  /** Called whenever progress or state changes (a CLI progress line). */
  onProgress?: (job: JobSummary) => void;
  /** A foreground run's Ctrl+C: the job pauses at its next checkpoint and can be resumed. */
  signal?: AbortSignal;
}

export interface JobService {
  /** Starts a job in this process and returns its id once its file is written; it runs on in the background. */
  start(kind: string, params: unknown, options?: { cwd?: string }): Promise<string>;
  /** Starts a job and waits until it settles (done, paused, cancelled or failed). */
  run(kind: string, params: unknown, options?: RunOptions & { cwd?: string }): Promise<JobSummary>;
  /** Continues a paused, interrupted or failed job from its last checkpoint; a finished one is left as it is. */
  resume(id: string, options?: RunOptions & { detach?: boolean }): Promise<JobSummary>;
  pause(id: string): Promise<JobSummary>;
  cancel(id: string): Promise<JobSummary>;
  status(id: string, after?: number): Promise<JobStatus>;
  list(limit?: number): Promise<JobSummary[]>;
  /** The output records of a job up to its last commit. */
  output(id: string): AsyncIterable<unknown>;
  /** Pauses every job this process runs and waits for them to commit (on shutdown). */
  pauseAll(): Promise<void>;
}

interface Running {
  record: JobRecord;
  kind: AnyJobKind;
  controller: AbortController;
  stop?: ControlRequest;
  output: JobOutputFile;
  rate: ProgressRate;
  done: Promise<JobSummary>;
  listeners: Set<(job: JobSummary) => void>;
  lastPersist: number;
}

/** Progress is written to the job file at most this often between commits. */
const PERSIST_EVERY_MS = 1_000;
/** How often a running job looks at its control file when the work commits rarely. */
const CONTROL_POLL_MS = 1_000;
const ACTIVE = new Set(['running', 'pausing', 'cancelling']);

export function createJobService(deps: JobServiceDeps): JobService {
  const files = new JobFiles(deps.dir);
  const now = deps.now ?? (() => new Date());
  const running = new Map<string, Running>();
  // One write at a time per job: atomic renames finishing out of order must not put an older record back.
  const writes = new Map<string, Promise<void>>();

  function persist(record: JobRecord): Promise<void> {
    record.updated = now().toISOString();
    const snapshot: JobRecord = { ...record, events: [...record.events] };
    const next = (writes.get(record.id) ?? Promise.resolve()).then(() => files.write(snapshot));
    writes.set(
      record.id,
      next.catch(() => undefined),
    );
    return next;
  }

  function event(record: JobRecord, type: JobEventType, message?: string): void {
    const e: JobEvent = { seq: record.nextSeq, ts: now().toISOString(), type, progress: { ...record.progress } };
    if (message) e.message = message;
    record.nextSeq += 1;
    record.events.push(e);
    if (record.events.length > MAX_EVENTS) record.events.splice(0, record.events.length - MAX_EVENTS);
  }

  function summaryOf(record: JobRecord): JobSummary {
    const summary: JobSummary = {
      id: record.id,
      kind: record.kind,
      title: record.title,
      state: record.state,
      progress: record.progress,
      created: record.created,
      updated: record.updated,
    };
    if (record.error) summary.error = record.error;
    return summary;
  }

  function notify(job: Running): void {
    const summary = { ...summaryOf(job.record), owner: { pid: process.pid, host: hostname() } };
    for (const listener of job.listeners) listener(summary);
  }

  async function kindOf(name: string): Promise<AnyJobKind> {
    const make = deps.kinds[name];
    if (!make)
      throw new KeyturnError('invalid-input', `Keyturn has no job of kind "${name.slice(0, 40)}"; update Keyturn to continue this job.`);
    return make();
  }

  async function audit(
    kind: AnyJobKind,
    record: JobRecord,
    action: AuditEvent['action'],
    outcome: AuditEvent['outcome'],
    detail?: string,
  ): Promise<void> {
    if (!kind.audit || !deps.audit) return;
    const line: AuditEvent = { action, key: kind.audit.key(record.params), target: `job:${record.id}`, outcome };
    const text = detail ?? kind.audit.detail?.(record.params, record.progress);
    if (text) line.detail = text;
    if (record.error) line.code = record.error.code;
    await deps.audit(line);
  }

  function requestStop(job: Running, request: ControlRequest): void {
    if (job.stop) return;
    job.stop = request;
    job.record.state = request === 'pause' ? 'pausing' : 'cancelling';
    event(job.record, request === 'pause' ? 'pausing' : 'cancelling');
    notify(job);
    job.controller.abort(
      new KeyturnError('cancelled', request === 'pause' ? 'The job was asked to pause.' : 'The job was asked to stop for good.'),
    );
    void persist(job.record).catch(() => undefined);
  }

  function setProgress(job: Running, progress: JobProgress): void {
    const measured = job.rate.sample(progress.done, progress.total);
    job.record.progress = { ...progress, ...measured };
    notify(job);
  }

  async function execute(
    record: JobRecord,
    kind: AnyJobKind,
    release: () => Promise<void>,
    resumed: boolean,
    options: RunOptions,
  ): Promise<Running> {
    const output = await files.openOutput(record.id, record.outputBytes).catch(async (error: unknown) => {
      await release();
      throw error;
    });
    const job: Running = {
      record,
      kind,
      controller: new AbortController(),
      output,
      rate: new ProgressRate(),
      done: Promise.resolve(summaryOf(record)),
      listeners: new Set(options.onProgress ? [options.onProgress] : []),
      lastPersist: 0,
    };
    running.set(record.id, job);
    await files.clearControl(record.id);
    delete record.error;
    record.state = 'running';
    event(record, resumed ? 'resumed' : 'started');
    await persist(record);
    await audit(kind, record, resumed ? 'job-resume' : 'job-start', 'ok');
    const onForegroundAbort = () => requestStop(job, 'pause');
    options.signal?.addEventListener('abort', onForegroundAbort, { once: true });
    const poll = setInterval(() => {
      void files.control(record.id).then((request) => request && requestStop(job, request));
    }, CONTROL_POLL_MS);

    const ctx: JobContext<unknown, unknown> = {
      id: record.id,
      params: record.params,
      checkpoint: record.checkpoint,
      signal: job.controller.signal,
      async commit(checkpoint, progress) {
        record.outputBytes = await output.sync();
        record.checkpoint = checkpoint;
        setProgress(job, progress);
        job.lastPersist = Date.now();
        await persist(record);
        const request = await files.control(record.id);
        if (request) requestStop(job, request);
      },
      report(progress) {
        setProgress(job, progress);
        if (Date.now() - job.lastPersist >= PERSIST_EVERY_MS) {
          job.lastPersist = Date.now();
          void persist(record).catch(() => undefined);
        }
      },
      note(message) {
        event(record, 'note', message);
      },
      output: (item) => output.append(item),
      readOutput: () => readOutputRecords(output.path, record.outputBytes),
    };

    job.done = (async (): Promise<JobSummary> => {
      let result: unknown;
      try {
        result = await kind.run(ctx);
        record.outputBytes = await output.sync();
        await files.writeResult(record.id, result);
        record.state = 'done';
        event(record, 'done');
      } catch (error) {
        if (job.stop) {
          record.state = job.stop === 'pause' ? 'paused' : 'cancelled';
          event(record, record.state, job.stop === 'pause' ? 'Paused at the last checkpoint; resume continues from there.' : undefined);
        } else {
          const known = error instanceof KeyturnError;
          record.state = 'failed';
          record.error = known
            ? { code: error.code, message: error.message }
            : {
                code: 'internal',
                message: `The job stopped on an unexpected ${error instanceof Error ? error.name : 'error'}; resume retries from the last checkpoint.`,
              };
          event(record, 'failed', record.error.message);
        }
      } finally {
        clearInterval(poll);
        options.signal?.removeEventListener('abort', onForegroundAbort);
        await output.close().catch(() => undefined);
        await files.clearControl(record.id);
        await persist(record).catch(() => undefined);
        await release();
        running.delete(record.id);
      }
      const action =
        record.state === 'done'
          ? 'job-finish'
          : record.state === 'paused'
            ? 'job-pause'
            : record.state === 'cancelled'
              ? 'job-cancel'
              : 'job-fail';
      await audit(kind, record, action, record.state === 'failed' ? 'failed' : 'ok').catch(() => undefined);
      notify(job);
      return { ...summaryOf(record), ...(record.state === 'done' ? { result } : {}) };
    })();
    return job;
  }

  async function create(
    kindName: string,
    params: unknown,
    cwd: string,
  ): Promise<{ record: JobRecord; kind: AnyJobKind; release: () => Promise<void> }> {
    const kind = await kindOf(kindName);
    const prepared = kind.prepare ? await kind.prepare(params, { cwd }) : params;
    const parsed = kind.params.safeParse(prepared);
    if (!parsed.success) throw new KeyturnError('invalid-input', `The ${kindName} job was refused (${describeIssues(parsed.error)}).`);
    const at = now().toISOString();
    const record: JobRecord = {
      format: 1,
      id: newJobId(),
      kind: kindName,
      title: kind.title(parsed.data),
      params: parsed.data,
      state: 'running',
      progress: { done: 0, unit: kind.unit ?? 'items', phase: 'starting' },
      outputBytes: 0,
      created: at,
      updated: at,
      events: [],
      nextSeq: 1,
    };
    await files.write(record);
    const release = await tryAcquireLock(files.lockPath(record.id));
    if (!release) throw new KeyturnError('internal', 'A new job id was already taken; try again.');
    return { record, kind, release };
  }

  /** The record as it stands, with `interrupted` for a job whose process is gone and `pausing` for a pending request. */
  async function current(id: string): Promise<{ record: JobRecord; owner?: { pid: number; host: string } }> {
    const here = running.get(id);
    if (here) return { record: here.record, owner: { pid: process.pid, host: hostname() } };
    const record = await files.read(id);
    if (!ACTIVE.has(record.state)) return { record };
    const owner = await liveLockOwner(files.lockPath(id));
    if (!owner) return { record: { ...record, state: 'interrupted' } };
    const request = await files.control(id);
    if (request && record.state === 'running')
      return { record: { ...record, state: request === 'pause' ? 'pausing' : 'cancelling' }, owner };
    return { record, owner };
  }

  async function settleHere(id: string, state: 'paused' | 'cancelled'): Promise<JobSummary> {
    const release = await tryAcquireLock(files.lockPath(id));
    if (!release) throw new KeyturnError('refused', `Job ${id} was just picked up by another process; try again.`);
    try {
      const record = await files.read(id);
      record.state = state;
      event(record, state, state === 'paused' ? 'Paused while no process was running it.' : undefined);
      await persist(record);
      if (state === 'cancelled') await audit(await kindOf(record.kind), record, 'job-cancel', 'ok').catch(() => undefined);
      return summaryOf(record);
    } finally {
      await release();
    }
  }

  async function stop(id: string, request: ControlRequest): Promise<JobSummary> {
    const here = running.get(id);
    if (here && !SETTLED_JOB_STATES.includes(here.record.state)) {
      requestStop(here, request);
      return summaryOf(here.record);
    }
    // A job that just settled here is still writing its last record.
    if (here) await here.done.catch(() => undefined);
    const { record, owner } = await current(id);
    if (owner) {
      await files.requestControl(id, request);
      return { ...summaryOf(record), state: request === 'pause' ? 'pausing' : 'cancelling', owner };
    }
    if (record.state === 'interrupted' || (request === 'cancel' && RESUMABLE_JOB_STATES.includes(record.state))) {
      return settleHere(id, request === 'pause' ? 'paused' : 'cancelled');
    }
    if (record.state === 'paused' && request === 'pause') return summaryOf(record);
    throw new KeyturnError('refused', `Job ${id} is ${record.state}; there is nothing to ${request}.`);
  }

  const service: JobService = {
    async start(kind, params, options = {}) {
      const { record, kind: k, release } = await create(kind, params, options.cwd ?? process.cwd());
      const job = await execute(record, k, release, false, {});
      job.done.catch(() => undefined);
      return record.id;
    },

    async run(kind, params, options = {}) {
      const { record, kind: k, release } = await create(kind, params, options.cwd ?? process.cwd());
      return (await execute(record, k, release, false, options)).done;
    },

    async resume(id, options = {}) {
      const here = running.get(id);
      if (here && !SETTLED_JOB_STATES.includes(here.record.state))
        throw new KeyturnError('refused', `Job ${id} is already running in this process.`);
      // A job that just settled here is still writing its last record and releasing its lock.
      if (here) await here.done.catch(() => undefined);
      const { record, owner } = await current(id);
      if (owner)
        throw new KeyturnError(
          'refused',
          `Job ${id} is running in process ${owner.pid}; pause it first ("keyturn jobs pause ${id}"), then resume it here.`,
        );
      if (record.state === 'done') return { ...summaryOf(record), result: await files.readResult(id) };
      if (record.state === 'cancelled') throw new KeyturnError('refused', `Job ${id} was cancelled; start a new one instead.`);
      const release = await tryAcquireLock(files.lockPath(id));
      if (!release) throw new KeyturnError('refused', `Job ${id} was just picked up by another process.`);
      let fresh: JobRecord;
      try {
        fresh = await files.read(id);
      } catch (error) {
        await release();
        throw error;
      }
      const job = await execute(fresh, await kindOf(fresh.kind), release, true, options);
      if (options.detach) {
        job.done.catch(() => undefined);
        return summaryOf(job.record);
      }
      return job.done;
    },

    pause: (id) => stop(id, 'pause'),
    cancel: (id) => stop(id, 'cancel'),

    async status(id, after = 0) {
      const { record, owner } = await current(id);
      const job: JobSummary = { ...summaryOf(record), ...(owner ? { owner } : {}) };
      if (record.state === 'done') job.result = await files.readResult(id);
      return { job, events: record.events.filter((e) => e.seq > after) };
    },

    async list(limit = 50) {
      const summaries: JobSummary[] = [];
      for (const id of await files.ids()) {
        const found = await current(id).catch(() => undefined);
        if (found) summaries.push({ ...summaryOf(found.record), ...(found.owner ? { owner: found.owner } : {}) });
      }
      return summaries.sort((a, b) => b.updated.localeCompare(a.updated)).slice(0, limit);
    },

    output(id) {
      const here = running.get(id);
      return (async function* () {
        const record = here?.record ?? (await files.read(id));
        yield* readOutputRecords(files.outputPath(id), record.outputBytes);
      })();
    },

    async pauseAll() {
      const jobs = [...running.values()];
      for (const job of jobs) requestStop(job, 'pause');
      await Promise.all(jobs.map((job) => job.done.catch(() => undefined)));
    },
  };
  return service;
}
