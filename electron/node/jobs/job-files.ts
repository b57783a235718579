// A job's files under KEYTURN_HOME/jobs/: the record (<id>.json, written atomically by the process that runs the job),
// a control file any process may write to ask for a pause or cancel (<id>.control), the output records
// (<id>.out.jsonl, append-only, cut back to the last commit on resume), the result (<id>.result.json) and the lock
// held by the running process (<id>.lock). No file holds a value.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { JobError, JobEvent, JobProgress, JobState } from '../../../shared/domain/job.js';
import { writeFileAtomic } from '../files/atomic-write.js';

export const JOB_FILE_FORMAT = 1;
/** Events kept in a job file; older ones are dropped (the audit log keeps the lasting record). */
export const MAX_EVENTS = 200;

export interface JobRecord {
  format: typeof JOB_FILE_FORMAT;
  id: string;
  kind: string;
  title: string;
  params: unknown;
  state: JobState;
  progress: JobProgress;
  /** The last committed checkpoint, kind-specific. */
  checkpoint?: unknown;
  /** Bytes of <id>.out.jsonl that belong to committed work. */
  outputBytes: number;
  created: string;
  updated: string;
  error?: JobError;
  events: JobEvent[];
  nextSeq: number;
}

export type ControlRequest = 'pause' | 'cancel';

const ID = /^[A-Za-z0-9_-]{16,64}$/;

export function newJobId(): string {
  return randomBytes(12).toString('base64url');
}

export class JobFiles {
  constructor(readonly dir: string) {}

  private path(id: string, suffix: string): string {
    if (!ID.test(id)) throw new KeyturnError('invalid-input', 'That is not a job id; run "keyturn jobs list" to see them.');
    return join(this.dir, `${id}${suffix}`);
  }

  recordPath = (id: string) => this.path(id, '.json');
  lockPath = (id: string) => this.path(id, '.lock');
  outputPath = (id: string) => this.path(id, '.out.jsonl');

  async read(id: string): Promise<JobRecord> {
    const path = this.recordPath(id);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new KeyturnError('not-found', `No job ${id} is known here; run "keyturn jobs list" to see the jobs under this KEYTURN_HOME.`);
      }
      throw new KeyturnError('io', `The job file of ${id} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    try {
      const record = JSON.parse(text) as JobRecord;
      if (record.format !== JOB_FILE_FORMAT || record.id !== id) throw new Error('shape');
      return record;
    } catch {
      throw new KeyturnError('io', `The job file of ${id} is damaged; it was left as it is. Start the job again.`);
    }
  }

  async write(record: JobRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.recordPath(record.id), `${JSON.stringify(record)}\n`);
  }

  async ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.json') && !n.endsWith('.result.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((id) => ID.test(id));
  }

  async requestControl(id: string, request: ControlRequest): Promise<void> {
    await writeFileAtomic(this.path(id, '.control'), `${JSON.stringify({ request, ts: new Date().toISOString() })}\n`);
  }

  async control(id: string): Promise<ControlRequest | undefined> {
    const text = await readFile(this.path(id, '.control'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const request = (JSON.parse(text) as { request?: unknown }).request;
      return request === 'pause' || request === 'cancel' ? request : undefined;
    } catch {
      return undefined;
    }
  }

  async clearControl(id: string): Promise<void> {
    await unlink(this.path(id, '.control')).catch(() => undefined);
  }

  async writeResult(id: string, result: unknown): Promise<void> {
    await writeFileAtomic(this.path(id, '.result.json'), `${JSON.stringify(result ?? null)}\n`);
  }

  async readResult(id: string): Promise<unknown> {
    const text = await readFile(this.path(id, '.result.json'), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  /** Drops output written after the last commit (a crash between an append and its commit), then appends. */
  async openOutput(id: string, committedBytes: number): Promise<JobOutputFile> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = this.outputPath(id);
    const size = (await stat(path).catch(() => null))?.size ?? 0;
    if (size > committedBytes) await truncate(path, committedBytes);
    if (size < committedBytes)
      throw new KeyturnError(
        'io',
        `The output file of job ${id} is shorter than its last checkpoint says; it was changed outside Keyturn.`,
      );
    const handle = await open(path, 'a', 0o600);
    return new JobOutputFile(path, handle, committedBytes);
  }

  async remove(id: string): Promise<void> {
    for (const suffix of ['.json', '.control', '.out.jsonl', '.result.json', '.lock']) await rm(this.path(id, suffix), { force: true });
  }
}

/** The append-only output of one run: written as the job goes, made durable on commit. */
export class JobOutputFile {
  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private size: number,
  ) {}

  get bytes(): number {
    return this.size;
  }

  async append(record: unknown): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    await this.handle.write(line);
    this.size += line.length;
  }

  async sync(): Promise<number> {
    await this.handle.sync();
    return this.size;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** The output records of a job up to `bytes` (its last commit), one parsed JSON value each. */
export async function* readOutputRecords(path: string, bytes: number): AsyncIterable<unknown> {
  if (bytes <= 0) return;
  const lines = createInterface({ input: createReadStream(path, { start: 0, end: bytes - 1, encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line) as unknown;
}
