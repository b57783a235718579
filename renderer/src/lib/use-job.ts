// Follows one job by id: polls its status while it runs (events after the last one seen), and offers pause, resume
// and cancel. The job runs in the host, so closing the tab or leaving the screen does not stop it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobEvent, JobSummary } from '../../../shared/domain/job.js';
import { JOB_POLL_MS } from '../../../shared/ipc/features/jobs.js';
import { toIpcError, type IpcError } from '../../../shared/ipc/result.js';
import { api } from '../api/client.js';

const ACTIVE = new Set(['running', 'pausing', 'cancelling']);

export interface JobHandle {
  job: JobSummary | undefined;
  events: JobEvent[];
  error: IpcError | undefined;
  /** True while the job still runs (polling continues). */
  active: boolean;
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  cancel: () => Promise<void>;
}

export function isActive(job: JobSummary | undefined): boolean {
  return job !== undefined && ACTIVE.has(job.state);
}

export function useJob(jobId: string | undefined): JobHandle {
  const [job, setJob] = useState<JobSummary | undefined>(undefined);
  const [events, setEvents] = useState<JobEvent[]>([]);
  const [error, setError] = useState<IpcError | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const cursor = useRef(0);

  useEffect(() => {
    cursor.current = 0;
    setJob(undefined);
    setEvents([]);
    setError(undefined);
  }, [jobId]);

  useEffect(() => {
    if (!jobId) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const status = await api.jobStatus({ jobId, after: cursor.current });
        if (stopped) return;
        setJob(status.job);
        if (status.events.length > 0) {
          cursor.current = status.events[status.events.length - 1]!.seq;
          setEvents((previous) => [...previous, ...status.events].slice(-50));
        }
        setError(undefined);
        if (isActive(status.job)) timer = setTimeout(() => void poll(), JOB_POLL_MS);
      } catch (caught) {
        if (!stopped) setError(toIpcError(caught));
      }
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobId, tick]);

  const act = useCallback(
    async (action: (req: { jobId: string }) => Promise<JobSummary>) => {
      if (!jobId) return;
      try {
        setJob(await action({ jobId }));
        setTick((n) => n + 1);
      } catch (caught) {
        setError(toIpcError(caught));
      }
    },
    [jobId],
  );

  return {
    job,
    events,
    error,
    active: isActive(job),
    pause: useCallback(() => act(api.pauseJob), [act]),
    resume: useCallback(() => act(api.resumeJob), [act]),
    cancel: useCallback(() => act(api.cancelJob), [act]),
  };
}
