// The progress of a long job, the same on every screen that starts one: a bar, counts, rate, time left, and the
// pause, resume and cancel buttons. Announced politely to screen readers as it changes.
import type { JobSummary } from '../../../shared/domain/job.js';
import type { JobHandle } from '../lib/use-job.js';
import { ErrorNotice } from './error-notice.js';

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function eta(seconds: number): string {
  if (seconds < 60) return `${seconds} s left`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s left`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min left`;
}

const STATE_LABEL: Record<JobSummary['state'], string> = {
  running: 'Running',
  pausing: 'Pausing at the next checkpoint…',
  paused: 'Paused',
  cancelling: 'Stopping…',
  cancelled: 'Cancelled',
  done: 'Done',
  failed: 'Stopped by an error',
  interrupted: 'Interrupted (its process ended)',
};

export function JobProgress({ handle }: { handle: JobHandle }) {
  const { job } = handle;
  if (!job) return <ErrorNotice error={handle.error} />;
  const { progress } = job;
  const percent = progress.total ? Math.floor((100 * progress.done) / progress.total) : undefined;
  const resumable = job.state === 'paused' || job.state === 'interrupted' || job.state === 'failed';
  return (
    <section className="card job-progress" aria-label={`Job: ${job.title}`} data-testid="job-progress" data-state={job.state}>
      <div className="job-progress-head">
        <strong>{job.title}</strong>
        <span className="job-state">{STATE_LABEL[job.state]}</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={progress.total ?? undefined}
        aria-valuenow={progress.done}
        aria-valuetext={
          progress.total
            ? `${count(progress.done)} of ${count(progress.total)} ${progress.unit}`
            : `${count(progress.done)} ${progress.unit}`
        }
      >
        <div className="progress-fill" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <p className="job-progress-figures" aria-live="polite">
        <span>{progress.phase}</span>
        <span>
          {progress.total !== undefined ? `${count(progress.done)} of ${count(progress.total)}` : count(progress.done)} {progress.unit}
          {percent !== undefined ? ` (${percent}%)` : ''}
        </span>
        {progress.rate !== undefined && handle.active ? (
          <span>
            {count(progress.rate)} {progress.unit}/s
          </span>
        ) : null}
        {progress.etaSeconds !== undefined && handle.active ? <span>{eta(progress.etaSeconds)}</span> : null}
      </p>
      {job.error ? <ErrorNotice error={job.error} /> : null}
      <div className="action-row">
        {job.state === 'running' ? (
          <button type="button" onClick={() => void handle.pause()}>
            Pause
          </button>
        ) : null}
        {resumable ? (
          <button type="button" onClick={() => void handle.resume()}>
            Resume
          </button>
        ) : null}
        {handle.active || resumable ? (
          <button type="button" className="button-danger" onClick={() => void handle.cancel()}>
            Cancel
          </button>
        ) : null}
      </div>
      <p className="hint">
        Job {job.id}: it keeps running if you close this tab; `keyturn jobs status {job.id}` follows it from a terminal.
      </p>
      <ErrorNotice error={handle.error} />
    </section>
  );
}
