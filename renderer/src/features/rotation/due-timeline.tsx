// The timeline of keys by age and due date: one bar per key from its current version's creation to its due date, the
// warning window hatched, the overdue stretch in red up to today's line. Each bar is a button that picks the key; the
// same facts are in a table below for those who prefer one. Colour is never the only signal: patterns and words too.
import { useId } from 'react';
import type { DueReport } from '../../../../shared/rotation/policy.js';
import { DEFAULT_TIMELINE, timelineLayout } from '../../../../shared/rotation/timeline-layout.js';

const STATE_WORD = { past: 'Past due', near: 'Due soon', ok: 'On schedule' } as const;

export function DueTimeline({
  report,
  selected,
  onSelect,
}: {
  report: DueReport;
  selected: string | undefined;
  onSelect: (key: string) => void;
}) {
  const id = useId();
  const layout = timelineLayout(report);
  const { rowHeight, labelWidth } = DEFAULT_TIMELINE;
  const barHeight = 14;
  const { past, near, ok } = report.counts;
  return (
    <figure className="timeline" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="timeline-caption">
        Keys by age and due date: {past} past due, {near} due soon, {ok} on schedule. Choose a key to plan its rotation.
      </figcaption>
      <svg
        className="timeline-chart"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-labelledby={`${id}-caption`}
        data-testid="due-timeline"
      >
        <defs>
          <pattern id={`${id}-warn`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="timeline-warn-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="timeline-warn-line" />
          </pattern>
          <pattern id={`${id}-over`} width="6" height="6" patternUnits="userSpaceOnUse">
            <rect width="6" height="6" className="timeline-over-bg" />
            <path d="M0 0L6 6M6 0L0 6" className="timeline-over-line" />
          </pattern>
        </defs>
        {layout.ticks.map((t) => (
          <g key={`${t.x}`} aria-hidden="true">
            <line x1={t.x} x2={t.x} y1={18} y2={layout.axisY} className="timeline-grid" />
            <text x={t.x} y={layout.axisY + 18} className="timeline-tick" textAnchor="middle">
              {t.label}
            </text>
          </g>
        ))}
        {layout.rows.map((row) => {
          const e = row.entry;
          const mid = row.y + rowHeight / 2;
          const barY = mid - barHeight / 2;
          const isSelected = selected === e.key;
          const statusX = Math.max(row.due, row.overdueEnd ?? 0) + 8;
          return (
            <g
              key={e.key}
              role="button"
              tabIndex={0}
              aria-pressed={isSelected}
              aria-label={row.description}
              className={`timeline-row timeline-${e.state}${isSelected ? ' timeline-selected' : ''}`}
              data-key={e.key}
              data-state={e.state}
              onClick={() => onSelect(e.key)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect(e.key);
                }
              }}
            >
              <title>{row.description}</title>
              <rect x={0} y={row.y + 2} width={layout.width} height={rowHeight - 4} className="timeline-row-bg" rx={4} />
              <text x={8} y={mid - 3} className="timeline-label">
                {e.key.length > 24 ? `${e.key.slice(0, 23)}…` : e.key}
              </text>
              <text x={8} y={mid + 12} className="timeline-sublabel">
                {e.kind} · v{e.version} · {e.ageDays} d old
              </text>
              <rect
                x={row.created}
                y={barY}
                width={Math.max(1, row.warnStart - row.created)}
                height={barHeight}
                className="timeline-bar"
                rx={2}
              />
              <rect
                x={row.warnStart}
                y={barY}
                width={Math.max(0, row.due - row.warnStart)}
                height={barHeight}
                fill={`url(#${id}-warn)`}
                className="timeline-warn"
              />
              {row.overdueEnd !== undefined ? (
                <rect
                  x={row.due}
                  y={barY}
                  width={Math.max(2, row.overdueEnd - row.due)}
                  height={barHeight}
                  fill={`url(#${id}-over)`}
                  className="timeline-over"
                />
              ) : null}
              <line x1={row.due} x2={row.due} y1={barY - 4} y2={barY + barHeight + 4} className="timeline-due-mark" />
              <text
                x={Math.min(statusX, layout.width - 4)}
                y={mid + 4}
                className="timeline-status"
                textAnchor={statusX > layout.width - 140 ? 'end' : 'start'}
              >
                {e.rotation ? `rotating (${e.rotation.done}/${e.rotation.steps})` : row.status}
              </text>
            </g>
          );
        })}
        <g aria-hidden="true">
          <line x1={layout.nowX} x2={layout.nowX} y1={18} y2={layout.axisY} className="timeline-now" />
          <text x={layout.nowX} y={14} className="timeline-now-label" textAnchor="middle">
            today
          </text>
        </g>
        <line x1={labelWidth} x2={layout.plotRight} y1={layout.axisY} y2={layout.axisY} className="timeline-axis" aria-hidden="true" />
      </svg>
      <ul className="timeline-legend" aria-label="Legend">
        <li>
          <span className="legend-swatch legend-ok" aria-hidden="true" /> age of the current version
        </li>
        <li>
          <span className="legend-swatch legend-warn" aria-hidden="true" /> warning window (due soon)
        </li>
        <li>
          <span className="legend-swatch legend-over" aria-hidden="true" /> overdue
        </li>
        <li>
          <span className="legend-line" aria-hidden="true" /> today
        </li>
      </ul>
      <details className="timeline-table">
        <summary>Show as a table</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">State</th>
              <th scope="col">Current version made</th>
              <th scope="col">Due</th>
              <th scope="col">Policy</th>
            </tr>
          </thead>
          <tbody>
            {layout.rows.map((row) => (
              <tr key={row.entry.key}>
                <th scope="row">{row.entry.key}</th>
                <td>
                  {STATE_WORD[row.entry.state]}: {row.status}
                </td>
                <td>
                  v{row.entry.version}, {row.entry.created.slice(0, 10)} ({row.entry.ageDays} d)
                </td>
                <td>{row.entry.due.slice(0, 10)}</td>
                <td>
                  every {row.entry.policy.maxAge}, warn {row.entry.policy.warn}
                  {row.entry.policy.source === 'default' ? ' (default)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
