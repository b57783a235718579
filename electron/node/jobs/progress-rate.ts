// Rate and time left for a job's progress, from the items done over the last few seconds (not since the start, so a
// resumed job or a slow first batch does not skew the estimate for long).

const WINDOW_MS = 10_000;

export class ProgressRate {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  sample(done: number, total: number | undefined): { rate?: number; etaSeconds?: number } {
    const at = this.clock();
    const last = this.samples[this.samples.length - 1];
    if (last && done < last.done) this.samples.length = 0;
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    if (seconds <= 0 || done <= first.done) return {};
    const rate = (done - first.done) / seconds;
    const out: { rate: number; etaSeconds?: number } = { rate: Math.round(rate * 10) / 10 };
    if (total !== undefined && total >= done) out.etaSeconds = Math.round((total - done) / rate);
    return out;
  }
}
