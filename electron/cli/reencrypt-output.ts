// How the CLI prints re-encryption: a job's result (counts per table and column, poison rows by key, whether the old
// key version can be retired) and scan/verify reports. Counts, key labels and row keys only, never a value.
import type { CensusReport } from '../node/services/reencrypt-service.js';
import type { ReencryptResult, RowReport } from '../node/db/reencrypt/reencrypt-types.js';

const n = (x: number): string => x.toLocaleString('en-US');

export function keyText(key: RowReport['key']): string {
  return key
    .map((v) => ('s' in v ? v.s : 'n' in v ? String(v.n) : 'i' in v ? v.i : `0x${Buffer.from(v.b, 'base64').toString('hex')}`))
    .join(', ');
}

export function renderReencryptResult(result: ReencryptResult, rows: RowReport[] = []): string {
  const lines: string[] = [];
  const verb = result.dryRun ? 'Dry run (nothing written)' : result.finished ? 'Re-encrypted' : 'Stopped early';
  lines.push(
    `${verb}: ${result.keyLabels.oldKeys.join(', ') || 'no old key'} -> ${result.keyLabels.newKey}, paging by ${result.key.join(', ')}`,
  );
  for (const t of result.tables) {
    lines.push(
      `  ${t.schema}.${t.table}: ${n(t.rows)} rows read, ${n(t.written)} ${result.dryRun ? 'would be written' : 'written'}${t.conflicts ? `, ${n(t.conflicts)} changed by the application meanwhile (retried)` : ''}${t.gone ? `, ${n(t.gone)} deleted meanwhile` : ''}`,
    );
    for (const [column, c] of Object.entries(t.columns)) {
      const from = Object.entries(c.byKey)
        .map(([label, count]) => `${label} ${n(count)}`)
        .join(', ');
      lines.push(
        `    ${column.padEnd(16)} ${result.dryRun ? 'to re-encrypt' : 're-encrypted'} ${n(c.rotated)}${from ? ` (${from})` : ''}, already new ${n(c.current)}, NULL ${n(c.nulls)}, empty ${n(c.empty)}, poison ${n(c.poison)}`,
      );
    }
  }
  const poison = rows.filter((r) => r.type === 'poison');
  if (poison.length > 0) {
    lines.push(`  Poison rows (no key opens these tokens; left unchanged): ${n(poison.length)}`);
    for (const r of poison.slice(0, 20)) lines.push(`    ${r.schema}.${r.table} key (${keyText(r.key)}): ${(r.columns ?? []).join(', ')}`);
    if (poison.length > 20) lines.push(`    ... ${n(poison.length - 20)} more in the job output (keyturn reencrypt run ... --json)`);
  }
  if (!result.dryRun && result.finished)
    lines.push(
      result.safeToRetire
        ? `Every row is under ${result.keyLabels.newKey}. Confirm with "keyturn reencrypt verify", then the old version can be retired.`
        : `Do not retire ${result.keyLabels.oldKeys.join(', ')} yet: fix or remove the poison rows, then run "keyturn reencrypt verify".`,
    );
  return `${lines.join('\n')}\n`;
}

export function renderCensus(report: CensusReport, mode: 'scan' | 'verify'): string {
  const lines: string[] = [
    `${report.database}; new key ${report.keyLabels.newKey}${report.keyLabels.oldKeys.length ? `, old ${report.keyLabels.oldKeys.join(', ')}` : ''}`,
  ];
  if (report.tables.length === 0) lines.push(mode === 'scan' ? '  No column holding Fernet tokens was found.' : '  No rows.');
  for (const t of report.tables) {
    lines.push(`  ${t.schema}.${t.table} (${n(t.rows)} rows${t.key ? `, key ${t.key.join(', ')}` : ''})${t.note ? `: ${t.note}` : ''}`);
    for (const c of t.columns) {
      const tokens = c.counts.current + c.counts.rotated + c.counts.poison;
      if (mode === 'verify') {
        const pct = tokens === 0 ? 100 : (100 * c.counts.current) / tokens;
        lines.push(
          `    ${c.column.padEnd(16)} new key alone opens ${n(c.counts.current)} of ${n(tokens)} tokens (${pct.toFixed(pct === 100 ? 0 : 2)}%), NULL ${n(c.counts.nulls)}, empty ${n(c.counts.empty)}`,
        );
        for (const o of c.others.slice(0, 20))
          lines.push(`      key (${keyText(o.key)}): ${o.opener === 'poison' ? 'no key opens it' : `still under ${o.opener}`}`);
      } else {
        const byKey = Object.entries(c.counts.byKey)
          .map(([label, count]) => `${label} ${n(count)}`)
          .join(', ');
        lines.push(
          `    ${c.column.padEnd(16)} ${byKey || 'no readable token'}; NULL ${n(c.counts.nulls)}, empty ${n(c.counts.empty)}, no key opens ${n(c.counts.poison)}`,
        );
      }
    }
  }
  if (mode === 'verify')
    lines.push(
      report.safeToRetire
        ? 'Every token opens under the new key alone: the old version can be retired.'
        : 'Not every token opens under the new key alone: do not retire the old version yet.',
    );
  return `${lines.join('\n')}\n`;
}
