// The timeline chart's geometry, pure: each key's bar from its current version's creation to its due date (the
// warning window and any overdue stretch marked), month ticks, and where today falls. The chart component draws it.
import { parsePolicyDuration } from './durations.js';
import type { DueEntry, DueReport } from './policy.js';

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface TimelineRow {
  entry: DueEntry;
  y: number;
  /** Bar from creation to the start of the warning window, the warning window, and the overdue stretch (past only). */
  created: number;
  warnStart: number;
  due: number;
  overdueEnd?: number;
  /** "due in 12 days", "20 days overdue", "due today". */
  status: string;
  /** One sentence for screen readers and the tooltip. */
  description: string;
}

export interface TimelineTick {
  x: number;
  label: string;
}

export interface TimelineLayout {
  rows: TimelineRow[];
  ticks: TimelineTick[];
  nowX: number;
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  axisY: number;
}

export interface TimelineOptions {
  width: number;
  labelWidth: number;
  rowHeight: number;
  /** Room on the right of the plot for the status text of the last bar. */
  statusWidth: number;
}

export const DEFAULT_TIMELINE: TimelineOptions = { width: 880, labelWidth: 200, rowHeight: 40, statusWidth: 150 };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function dueStatus(entry: DueEntry, now: number): string {
  const left = Date.parse(entry.due) - now;
  if (left >= DAY_MS) return `due in ${plural(Math.floor(left / DAY_MS), 'day')}`;
  if (left > 0) return 'due today';
  const over = Math.floor(-left / DAY_MS);
  return over === 0 ? 'due today (overdue)' : `${plural(over, 'day')} overdue`;
}

function describe(entry: DueEntry, status: string): string {
  const state = entry.state === 'past' ? 'Past due' : entry.state === 'near' ? 'Due soon' : 'On schedule';
  const policy = `${entry.policy.maxAge}${entry.policy.source === 'default' ? ` (the default for ${entry.kind} keys)` : ''}`;
  const rotation = entry.rotation
    ? ` Rotation under way in plan ${entry.rotation.plan}, ${entry.rotation.done} of ${entry.rotation.steps} steps done.`
    : '';
  return `${entry.key}, ${entry.kind}, version ${entry.version}: ${state}, ${status}. Made ${entry.created.slice(0, 10)}, ${plural(entry.ageDays, 'day')} old; rotate every ${policy}, due ${entry.due.slice(0, 10)}.${rotation}`;
}

function monthStart(t: number): Date {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

/** Month ticks; every 2nd, 3rd or 6th month when the range is long, so labels never crowd. */
function ticks(start: number, end: number, x: (t: number) => number, plotWidth: number): TimelineTick[] {
  const months = (end - start) / (30 * DAY_MS);
  const step = [1, 2, 3, 6, 12].find((s) => (plotWidth / months) * s >= 56) ?? 12;
  const out: TimelineTick[] = [];
  const d = monthStart(start);
  if (d.getTime() < start) d.setUTCMonth(d.getUTCMonth() + 1);
  while (d.getTime() <= end) {
    if (d.getUTCMonth() % step === 0) {
      const month = d.getUTCMonth();
      out.push({ x: x(d.getTime()), label: month === 0 || out.length === 0 ? `${MONTHS[month]} ${d.getUTCFullYear()}` : MONTHS[month]! });
    }
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

export function timelineLayout(report: DueReport, options: TimelineOptions = DEFAULT_TIMELINE): TimelineLayout {
  const now = Date.parse(report.now);
  const entries = report.entries;
  const times = entries.flatMap((e) => [Date.parse(e.created), Date.parse(e.due)]);
  const first = Math.min(now - 30 * DAY_MS, ...times);
  const last = Math.max(now + 30 * DAY_MS, ...times);
  const pad = Math.max(7 * DAY_MS, (last - first) * 0.04);
  const start = first - pad;
  const end = last + pad;
  const plotLeft = options.labelWidth;
  const plotRight = options.width - options.statusWidth;
  const x = (t: number): number => plotLeft + ((t - start) / (end - start)) * (plotRight - plotLeft);
  // Room above the rows for the "today" label, clear of the month labels below.
  const top = 22;
  const rows = entries.map((entry, i): TimelineRow => {
    const created = Date.parse(entry.created);
    const due = Date.parse(entry.due);
    const warnMs = Math.max(0, Math.min(due - created, warnOf(entry)));
    const status = dueStatus(entry, now);
    const row: TimelineRow = {
      entry,
      y: top + i * options.rowHeight,
      created: x(created),
      warnStart: x(due - warnMs),
      due: x(due),
      status,
      description: describe(entry, status),
    };
    if (entry.state === 'past') row.overdueEnd = x(now);
    return row;
  });
  const axisY = top + entries.length * options.rowHeight + 4;
  return {
    rows,
    ticks: ticks(start, end, x, plotRight - plotLeft),
    nowX: x(now),
    width: options.width,
    height: axisY + 28,
    plotLeft,
    plotRight,
    axisY,
  };
}

/** The warning window in ms (a policy the inventory holds always parses; anything else draws no window). */
function warnOf(entry: DueEntry): number {
  try {
    return parsePolicyDuration(entry.policy.warn);
  } catch {
    return 0;
  }
}
