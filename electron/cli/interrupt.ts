// Ctrl+C (or SIGTERM) during a long command becomes an abort signal: a job then pauses at its next checkpoint
// instead of dying mid-batch. A second Ctrl+C leaves at once.

export function untilInterrupted(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nkeyturn: stopping at the next checkpoint (Ctrl+C again to leave at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
