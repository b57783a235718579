// Runs a job kind without persisting it: for quick foreground work (a `keyturn env check` in CI) that does the same
// steps as the resumable job, with progress but no job file.
import type { JobProgress } from '../../../shared/domain/job.js';
import type { JobContext } from './job-kind.js';
import { ProgressRate } from './progress-rate.js';

export interface MemoryRunOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: JobProgress) => void) | undefined;
}

export function memoryContext<P, C>(params: P, options: MemoryRunOptions = {}): JobContext<P, C> {
  const records: unknown[] = [];
  const rate = new ProgressRate();
  const report = (progress: JobProgress) => options.onProgress?.({ ...progress, ...rate.sample(progress.done, progress.total) });
  return {
    id: 'in-memory',
    params,
    checkpoint: undefined,
    signal: options.signal ?? new AbortController().signal,
    async commit(_checkpoint, progress) {
      report(progress);
    },
    report,
    note: () => undefined,
    async output(record) {
      records.push(record);
    },
    async *readOutput() {
      yield* records;
    },
  };
}
