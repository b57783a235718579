// Human-readable text for `keyturn keys` and `keyturn audit`: metadata only, never a value.
import type { AuditEntry, AuditVerification } from '../../../shared/domain/audit.js';
import type { KeyRecord } from '../../../shared/domain/inventory.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatKeyList(keys: KeyRecord[]): string {
  if (keys.length === 0) return 'No keys yet. Store one with: keyturn generate fernet --name NAME --store\n';
  const rows = [['NAME', 'KIND', 'ALG', 'CURRENT', 'VERSIONS', 'ENV VAR', 'TAGS']];
  for (const k of keys) {
    const live = k.versions.filter((v) => v.status !== 'retired').map((v) => `v${v.version}`);
    rows.push([k.name, k.kind, k.alg ?? '-', `v${k.current}`, live.join(',') || '-', k.envVar ?? '-', k.tags.join(',') || '-']);
  }
  return `${table(rows)}\n`;
}

export function formatKey(k: KeyRecord): string {
  const lines = [
    `name:     ${k.name}`,
    `kind:     ${k.kind}${k.alg ? ` (${k.alg})` : ''}`,
    `current:  v${k.current}`,
    `env var:  ${k.envVar ?? '-'}`,
    `tags:     ${k.tags.join(', ') || '-'}`,
  ];
  if (k.notes) lines.push(`notes:    ${k.notes}`);
  lines.push(
    '',
    table([
      ['VERSION', 'STATUS', 'SIZE', 'CREATED', 'FINGERPRINT', 'PUBLIC FINGERPRINT (comparable across machines)'],
      ...k.versions.map((v) => [`v${v.version}`, v.status, `${v.size} bits`, v.created, v.fingerprint, v.publicFingerprint ?? '-']),
    ]),
  );
  return `${lines.join('\n')}\n`;
}

export function formatStatus(s: KeychainStatus): string {
  return `keychain: ${s.state} (${s.backend})${s.code ? ` [${s.code}]` : ''}\n${s.message}\n`;
}

export function formatAudit(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'The audit log is empty.\n';
  return `${entries
    .map((e) => {
      const key = e.version ? `${e.key}@v${e.version}` : e.key;
      return [
        e.ts,
        e.action.padEnd(8),
        key,
        e.outcome + (e.code && e.code !== e.outcome ? ` [${e.code}]` : ''),
        e.target ? `-> ${e.target}` : '',
      ]
        .join('  ')
        .trimEnd();
    })
    .join('\n')}\n`;
}

export function formatVerification(v: AuditVerification, path: string): string {
  if (v.ok) return `${path}: ${v.lines} lines, hash chain intact.\n`;
  return `${path}: BROKEN at line ${v.firstBadLine}: ${v.reason}.\n`;
}
