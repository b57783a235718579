// How the CLI shows a job: a one-line summary, the result of a finished job in the kind's own form, and the exit code.
import type { JobSummary } from '../../shared/domain/job.js';
import type { EnvReport } from '../../shared/envcheck/report.js';
import { renderText } from '../../shared/envcheck/render-text.js';
import type { PushResult } from '../../shared/push/push-types.js';
import { formatResult } from './commands/push-format.js';
import type { RunOptions } from '../node/jobs/job-service.js';
import { untilInterrupted } from './interrupt.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './output.js';
import { describeProgress, type ProgressLine } from './progress-line.js';
import { renderReencryptResult } from './reencrypt-output.js';
import type { ReencryptResult } from '../node/db/reencrypt/reencrypt-types.js';

export function describeJob(job: JobSummary): string {
  const who = job.owner ? ` (process ${job.owner.pid})` : '';
  const error = job.error ? ` ${job.error.message} [${job.error.code}]` : '';
  return `${job.id}  ${job.state}${who}  ${job.title}  ${describeProgress(job.progress)}${error}`;
}

/** What to tell the user when a job stops without finishing. */
export function nextStep(job: JobSummary): string | undefined {
  if (job.state === 'paused' || job.state === 'interrupted' || job.state === 'failed')
    return `Resume it with: keyturn jobs resume ${job.id}`;
  if (job.state === 'pausing' || job.state === 'running') return `Follow it with: keyturn jobs status ${job.id}`;
  return undefined;
}

/** The result of a finished job as text, when its kind has a text form. */
export function renderResult(job: JobSummary, color: boolean): string | undefined {
  if (job.state !== 'done' || job.result === undefined) return undefined;
  if (job.kind === 'envcheck') return renderText(job.result as EnvReport, { color });
  if (job.kind === 'reencrypt') return renderReencryptResult(job.result as ReencryptResult);
  if (job.kind === 'push') return formatResult(job.result as PushResult);
  return undefined;
}

/** 0 when the job finished and its result found nothing wrong; 1 otherwise (a paused job is not a pass). */
export function exitCodeOf(job: JobSummary): number {
  if (job.state !== 'done') return EXIT_FAILED;
  if (job.kind === 'envcheck' && (job.result as EnvReport | undefined)?.failed) return EXIT_FAILED;
  if (job.kind === 'reencrypt') {
    const result = job.result as ReencryptResult | undefined;
    if (!result?.dryRun && !result?.safeToRetire) return EXIT_FAILED;
  }
  if (job.kind === 'push' && (job.result as PushResult | undefined)?.ok === false) return EXIT_FAILED;
  return EXIT_OK;
}

/**
 * Runs a job in this process until it ends or Ctrl+C pauses it: its id said once on stderr (`keyturn: checking as job
 * ID`), its progress on the line. The finished job, or undefined once a job that stopped short has been reported with
 * what to do next.
 */
export async function runJobHere(
  io: CliIo,
  line: ProgressLine,
  doing: string,
  start: (options: RunOptions) => Promise<JobSummary>,
): Promise<JobSummary | undefined> {
  const interrupt = untilInterrupted();
  let announced = false;
  const job = await start({
    signal: interrupt.signal,
    onProgress: (j) => {
      if (!announced) {
        announced = true;
        io.stderr.write(`keyturn: ${doing} as job ${j.id}; Ctrl+C pauses it.\n`);
      }
      line.update(j.progress);
    },
  }).finally(() => interrupt.dispose());
  line.end();
  if (job.state === 'done') return job;
  io.stderr.write(`keyturn: job ${job.id} is ${job.state}.${job.error ? ` ${job.error.message}` : ''} ${nextStep(job) ?? ''}\n`);
  return undefined;
}
