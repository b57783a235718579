// A small real JobContext for driving job kinds before (and beside) the house's job runner: the checkpoint and progress
// written atomically to state.json on every commit, output records appended to output.jsonl and cut back to the last
// commit on reopen, pause/cancel through an AbortController. Enough to kill -9 a process and resume from its files.
import { appendFile, readFile, truncate } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobProgress } from '../../shared/domain/job.js';
import { writeFileAtomic } from '../../electron/node/files/atomic-write.js';
import type { JobContext } from '../../electron/node/jobs/job-kind.js';

interface StateFile<P, C> {
  params: P;
  checkpoint: C | undefined;
  progress: JobProgress | undefined;
  /** Bytes of output.jsonl that belong to committed batches. */
  outputBytes: number;
  commits: number;
  notes: string[];
}

export class FileJobContext<P, C> implements JobContext<P, C> {
  readonly id: string;
  readonly params: P;
  readonly checkpoint: C | undefined;
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  /** Called after every commit (tests use it to pause, or a child process to tell its parent). */
  onCommit: (commits: number) => void = () => undefined;
  lastReport: JobProgress | undefined;
  #state: StateFile<P, C>;
  #pendingBytes = 0;

  private constructor(
    readonly dir: string,
    state: StateFile<P, C>,
  ) {
    this.id = dir;
    this.params = state.params;
    this.checkpoint = state.checkpoint;
    this.#state = state;
  }

  /** Opens the job in `dir`: a fresh start with `params`, or a resume from its last commit. */
  static async open<P, C>(dir: string, params: P): Promise<FileJobContext<P, C>> {
    const stateFile = join(dir, 'state.json');
    const output = join(dir, 'output.jsonl');
    if (!existsSync(stateFile)) {
      const state: StateFile<P, C> = { params, checkpoint: undefined, progress: undefined, outputBytes: 0, commits: 0, notes: [] };
      await writeFileAtomic(stateFile, JSON.stringify(state));
      await writeFileAtomic(output, '');
      return new FileJobContext(dir, state);
    }
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as StateFile<P, C>;
    // Records appended after the last commit belong to a batch that will be done again.
    await truncate(output, state.outputBytes);
    return new FileJobContext(dir, state);
  }

  static async read<P, C>(dir: string): Promise<StateFile<P, C>> {
    return JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as StateFile<P, C>;
  }

  async commit(checkpoint: C, progress: JobProgress): Promise<void> {
    this.#state = {
      ...this.#state,
      checkpoint,
      progress,
      outputBytes: this.#state.outputBytes + this.#pendingBytes,
      commits: this.#state.commits + 1,
    };
    this.#pendingBytes = 0;
    await writeFileAtomic(join(this.dir, 'state.json'), JSON.stringify(this.#state));
    this.onCommit(this.#state.commits);
  }

  report(progress: JobProgress): void {
    this.lastReport = progress;
  }

  note(message: string): void {
    this.#state.notes.push(message);
  }

  async output(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    await appendFile(join(this.dir, 'output.jsonl'), line);
    this.#pendingBytes += Buffer.byteLength(line);
  }

  async *readOutput(): AsyncIterable<unknown> {
    const text = (await readFile(join(this.dir, 'output.jsonl'))).subarray(0, this.#state.outputBytes).toString('utf8');
    for (const line of text.split('\n')) if (line) yield JSON.parse(line);
  }

  get notes(): readonly string[] {
    return this.#state.notes;
  }
}
