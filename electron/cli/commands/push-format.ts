// How `keyturn push` and `keyturn targets` print plans, results, drift and targets as text: fingerprints, names and
// version ids only, never a value.
import type { PlanEntry, PlanItem, PushPlan } from '../../../shared/push/push-plan.js';
import { describeTarget, type Target } from '../../../shared/push/targets.js';
import type { PushResult } from '../../../shared/push/push-types.js';
import type { PushStatusReport } from '../../../shared/push/push-types.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function secretLabel(item: Pick<PlanItem, 'secret' | 'mappedFrom' | 'bundle'>): string {
  if (item.bundle) return `${item.secret} (bundle)`;
  return item.mappedFrom ? `${item.secret} (from ${item.mappedFrom})` : item.secret;
}

function entryText(e: PlanEntry): string {
  const where = e.field !== undefined ? ` as ${e.field}` : '';
  if (e.change === 'same') return `${e.key}@v${e.version}${where} already there`;
  if (e.change === 'add') return `${e.key}@v${e.version}${where} (${e.fingerprint}) new`;
  return `${e.key}@v${e.version}${where} (${e.fingerprint}) replaces ${e.remoteFingerprint}`;
}

export function formatPlan(plan: PushPlan, target: Target): string {
  const lines = [`Plan for ${plan.target} (${describeTarget(target)}):`];
  for (const item of plan.items) {
    const stage = item.stage === 'pending' ? ', staged as AWSPENDING' : '';
    const recover = item.recover ? ', recovering the deleted secret first' : '';
    lines.push(`  ${item.action.padEnd(9)}  ${secretLabel(item)}${stage}${recover}`);
    if (item.action === 'conflict') lines.push(`             ${item.reason} [${item.code}]`);
    for (const e of item.entries) lines.push(`             ${entryText(e)}`);
    if (item.keptFields) lines.push(`             ${item.keptFields} other field${item.keptFields === 1 ? '' : 's'} kept as they are`);
  }
  const counts = (['create', 'update', 'unchanged', 'conflict'] as const).map(
    (a) => `${plan.items.filter((i) => i.action === a).length} ${a}`,
  );
  lines.push(`${counts.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

export function formatResult(result: PushResult): string {
  const lines = [`Push to ${result.target}:`];
  for (const item of result.items) {
    const version = item.versionId ? `  version ${item.versionId}${item.stage === 'pending' ? ' (AWSPENDING)' : ''}` : '';
    lines.push(`  ${item.outcome.padEnd(9)}  ${secretLabel(item)}${version}`);
    if (item.error) lines.push(`             ${item.error.message} [${item.error.code}]`);
    if (item.warning) lines.push(`             warning: ${item.warning}`);
  }
  const written = result.items.filter((i) => i.outcome === 'written').length;
  lines.push(
    result.ok
      ? `Done: ${written} written and read back, ${result.items.length - written} unchanged.`
      : 'Not everything was pushed; see above. What was written is recorded; push again to finish.',
  );
  return `${lines.join('\n')}\n`;
}

export function formatStatus(report: PushStatusReport): string {
  const rows = [['KEY', 'PUSHED', 'LOCAL', 'TARGET', 'SECRET', 'STATE']];
  for (const i of report.items) {
    rows.push([
      i.key,
      `v${i.version}${i.stage === 'pending' ? ' (pending)' : ''}`,
      `v${i.localCurrent}`,
      i.target,
      i.field !== undefined ? `${i.secret}#${i.field}` : i.secret,
      i.state ?? `unknown: ${i.error?.message ?? ''} [${i.error?.code ?? 'internal'}]`,
    ]);
  }
  const lines = report.items.length > 0 ? [table(rows)] : ['No key has been pushed yet.'];
  if (report.notPushed.length > 0) lines.push(`Not pushed: ${report.notPushed.join(', ')}`);
  lines.push(report.drift ? 'Drift found: push again, or look at what changed at the target.' : 'Everything pushed is in sync.');
  return `${lines.join('\n')}\n`;
}

export function formatTargets(targets: Target[]): string {
  if (targets.length === 0)
    return 'No targets yet; add one with "keyturn targets add aws NAME --region R" or "keyturn targets add azure NAME --vault-url URL".\n';
  return `${table([['NAME', 'KIND', 'WHERE'], ...targets.map((t) => [t.name, t.kind, describeTarget(t).replace(/^(aws|azure) /, '')])])}\n`;
}

export function formatTarget(t: Target): string {
  const rows: [string, string | undefined][] =
    t.kind === 'aws'
      ? [
          ['name', t.name],
          ['kind', 'AWS Secrets Manager'],
          ['region', t.region],
          ['profile', t.profile ?? '(default chain)'],
          ['endpoint', t.endpoint],
          ['KMS key', t.kmsKeyId],
        ]
      : [
          ['name', t.name],
          ['kind', 'Azure Key Vault'],
          ['vault', t.vaultUrl],
          ['tenant', t.tenant],
          ['credential', t.credential],
          ['authority host', t.authorityHost],
          ['api-version', t.apiVersion],
          ['CA file', t.caFile],
          ['challenge check', t.challengeResourceCheck ? 'on' : 'off (custom domain)'],
        ];
  return `${rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.padEnd(16)}${v}`)
    .join('\n')}\n`;
}
