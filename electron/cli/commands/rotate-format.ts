// Human-readable text for `keyturn rotate` and `keyturn keys policy`: due dates, plans and their steps. No values.
import type { DueEntry, DueReport } from '../../../shared/rotation/policy.js';
import { describeDuration } from '../../../shared/rotation/durations.js';
import type { KeyPolicy, PlanStatus, PlanSummary, StepView } from '../../node/services/rotation-service.js';
import { describeProgress } from '../progress-line.js';
import { table } from './keys-format.js';

const STATE_WORD: Record<DueEntry['state'], string> = { past: 'PAST DUE', near: 'DUE SOON', ok: 'ok' };

const DAY_MS = 86_400_000;
const days = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;

/** `in 9 days`, `today`, `20 days ago`: whole days between now and the due date, as people count them. */
function when(e: DueEntry, now: string): string {
  const left = Date.parse(e.due) - Date.parse(now);
  if (left >= DAY_MS) return `in ${days(Math.floor(left / DAY_MS))}`;
  if (left > 0) return 'within a day';
  const ago = Math.floor(-left / DAY_MS);
  return ago === 0 ? 'today' : `${days(ago)} ago`;
}

export function formatDue(report: DueReport, all: boolean): string {
  const shown = report.entries.filter((e) => all || e.state !== 'ok');
  const lines: string[] = [];
  if (report.entries.length === 0) return 'No keys yet: nothing is due.\n';
  if (shown.length > 0) {
    const rows = [['STATE', 'KEY', 'KIND', 'CURRENT', 'AGE', 'DUE', '', 'POLICY']];
    for (const e of shown) {
      rows.push([
        STATE_WORD[e.state],
        e.key,
        e.kind,
        `v${e.version}`,
        `${e.ageDays} d`,
        e.due.slice(0, 10),
        `(${when(e, report.now)})`,
        `${e.policy.maxAge}${e.policy.source === 'default' ? ' (default)' : ''}`,
      ]);
    }
    lines.push(table(rows));
    for (const e of shown.filter((x) => x.rotation))
      lines.push(`  ${e.key}: rotation under way in plan ${e.rotation!.plan} (${e.rotation!.done} of ${e.rotation!.steps} steps done)`);
    lines.push('');
  }
  const { past, near, ok } = report.counts;
  lines.push(`${past} past due, ${near} due soon, ${ok} ok${!all && ok > 0 ? ' (not listed; --all lists every key)' : ''}.`);
  const first = report.entries.find((e) => e.state !== 'ok' && !e.rotation);
  if (first) lines.push(`Plan a rotation: keyturn rotate plan ${first.key} --env-file .env`);
  return `${lines.join('\n')}\n`;
}

export function formatPolicy(p: KeyPolicy, due: DueEntry | undefined, now: string): string {
  const origin = p.source === 'key' ? 'set for this key' : 'the default for its kind';
  const lines = [`${p.key}: rotate every ${p.maxAge}, shown as due soon ${p.warn} before (${origin}).`];
  if (due) lines.push(`v${due.version} was made ${due.created.slice(0, 10)}; due ${due.due.slice(0, 10)} (${when(due, now)}).`);
  return `${lines.join('\n')}\n`;
}

export function formatPlanList(plans: PlanSummary[]): string {
  if (plans.length === 0) return 'No rotation plans yet. Make one with: keyturn rotate plan KEY --env-file .env\n';
  const rows = [['PLAN', 'KEYS', 'DONE', 'NEXT', 'CREATED']];
  for (const p of plans) {
    const next =
      p.next === undefined ? 'finished' : p.failed ? `step ${p.failed} failed` : p.running ? `step ${p.running} running` : `step ${p.next}`;
    rows.push([p.id, p.keys.join(','), `${p.done}/${p.steps}`, next, p.created.slice(0, 16).replace('T', ' ')]);
  }
  return `${table(rows)}\n`;
}

function mark(view: StepView): string {
  switch (view.state.status) {
    case 'done':
      return '[x]';
    case 'running':
      return '[>]';
    case 'failed':
      return '[!]';
    default:
      return '[ ]';
  }
}

export function describeStepState(view: StepView): string {
  const { state } = view;
  const at = state.at ? state.at.slice(0, 16).replace('T', ' ') : '';
  switch (state.status) {
    case 'done':
      return `done ${state.by === 'user' ? 'by hand' : 'by Keyturn'} ${at}${state.note ? `: ${state.note}` : ''}`;
    case 'running':
      return view.job
        ? `${view.job.state}: job ${view.job.id}, ${describeProgress(view.job.progress)}`
        : `running: job ${state.job?.id ?? '?'}`;
    case 'failed':
      return `failed ${at} [${state.code ?? 'error'}]${state.note ? `: ${state.note}` : ''}`;
    default: {
      const how = view.runnable ? 'Keyturn runs it' : 'by hand';
      const wait = view.notBefore
        ? `, not before ${view.notBefore.slice(0, 16).replace('T', ' ')} UTC`
        : view.step.wait
          ? `, ${describeDuration(view.step.wait.ms)} after step ${view.step.wait.afterStep}`
          : '';
      return `${how}${wait}`;
    }
  }
}

/** What to do next, as a command. */
export function nextCommand(status: PlanStatus): string {
  if (status.next === undefined) return `Every step is done. Check the success criteria: keyturn rotate export ${status.plan.id}`;
  const view = status.steps[status.next - 1]!;
  const id = status.plan.id;
  if (view.state.status === 'running') {
    const job = view.job;
    if (job && (job.state === 'paused' || job.state === 'interrupted'))
      return `Next: step ${status.next} is ${job.state}; continue it with: keyturn rotate run-step ${id} ${status.next} --yes`;
    return `Next: step ${status.next} is running; follow it with: keyturn jobs status ${view.state.job?.id ?? ''}`.trimEnd();
  }
  if (view.blocked) return `Next: step ${status.next}, which cannot start yet: ${view.blocked}.`;
  if (view.runnable) return `Next: step ${status.next} (${view.step.title}): keyturn rotate run-step ${id} ${status.next}`;
  return `Next: step ${status.next} (${view.step.title}) by hand, then: keyturn rotate done ${id} ${status.next} --note TEXT`;
}

export function formatPlanStatus(status: PlanStatus): string {
  const lines = [`Plan ${status.plan.id}: ${status.plan.title} (${status.done} of ${status.steps.length} steps done)`, ''];
  for (const view of status.steps) {
    const flag = view.step.pointOfNoReturn ? '  POINT OF NO RETURN' : '';
    lines.push(`${mark(view)} ${String(view.step.n).padStart(2)}  ${view.step.title}${flag}`);
    lines.push(`          ${describeStepState(view)}`);
  }
  lines.push('', nextCommand(status));
  return `${lines.join('\n')}\n`;
}

/** What the user confirms before a step runs: what it does, what it changes, and whether it can be undone. */
export function formatStepForConfirmation(plan: string, view: StepView): string {
  const s = view.step;
  const lines = [`Step ${s.n} of plan ${plan}: ${s.title}`, '', s.why];
  if (s.command) lines.push('', 'Keyturn does what this command does:', ...s.command.split('\n').map((l) => `  ${l}`));
  if (s.effect) lines.push('', `${s.pointOfNoReturn ? 'Point of no return' : 'Users notice'}: ${s.effect}`);
  else if (s.pointOfNoReturn) lines.push('', 'Point of no return: this step cannot be undone.');
  if (s.rollback) lines.push('', `Rollback: ${s.rollback.text}`);
  return `${lines.join('\n')}\n`;
}
