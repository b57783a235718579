// A live progress line on stderr for long commands: rewritten in place on a terminal, absent in pipes and CI logs
// unless asked for (then one line every few seconds, never a carriage return in a log file).
import type { JobProgress } from '../../shared/domain/job.js';

export interface ProgressLine {
  update(progress: JobProgress): void;
  /** Clears the live line so the next output starts on a clean line. */
  end(): void;
}

const PLAIN_EVERY_MS = 5_000;

export function describeProgress(p: JobProgress): string {
  const count =
    p.total !== undefined
      ? `${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} ${p.unit}`
      : `${p.done.toLocaleString('en-US')} ${p.unit}`;
  const parts = [p.phase, count];
  if (p.total) parts.push(`${Math.floor((100 * p.done) / p.total)}%`);
  if (p.rate !== undefined) parts.push(`${p.rate.toLocaleString('en-US')} ${p.unit}/s`);
  if (p.etaSeconds !== undefined && p.total !== undefined && p.done < p.total) parts.push(`ETA ${formatSeconds(p.etaSeconds)}`);
  return parts.join('  ');
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** `mode`: 'auto' shows a live line on a terminal only; 'always' also prints periodic lines into a pipe; 'never'. */
export function createProgressLine(stream: NodeJS.WritableStream, mode: 'auto' | 'always' | 'never' = 'auto'): ProgressLine {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (mode === 'never' || (mode === 'auto' && !tty)) return { update: () => undefined, end: () => undefined };
  let shown = false;
  let last = 0;
  return {
    update(progress) {
      const text = describeProgress(progress);
      if (tty) {
        const width = Math.max(20, ((stream as NodeJS.WriteStream).columns ?? 100) - 1);
        stream.write(`\r\x1b[2K${text.slice(0, width)}`);
        shown = true;
      } else if (Date.now() - last >= PLAIN_EVERY_MS) {
        last = Date.now();
        stream.write(`${text}\n`);
      }
    },
    end() {
      if (tty && shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

export function progressMode(opts: Record<string, unknown>): 'auto' | 'always' | 'never' {
  if (opts.progress === false) return 'never';
  if (opts.progress === true) return 'always';
  return 'auto';
}
