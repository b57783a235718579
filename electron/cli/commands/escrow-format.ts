// Text output of `keyturn escrow`: paths, sets, custodians, versions and fingerprints; never a value or a share.
import type {
  EscrowBundleInfo,
  EscrowCreateResult,
  EscrowKeyMeta,
  EscrowRekeyResult,
  EscrowRestoreResult,
  EscrowSetSummary,
  EscrowSheetFiles,
  EscrowVerifyResult,
  ShareRejection,
} from '../../../shared/domain/escrow.js';

const setLine = (s: EscrowSetSummary): string =>
  `any ${s.threshold} of ${s.shares}: ${s.custodians.map((c) => `${c.index}. ${c.name}${c.encrypted ? ' (age)' : ''}`).join(', ')}`;

const keyLine = (k: Pick<EscrowKeyMeta, 'name' | 'version' | 'fingerprint'> & { kind?: string }): string =>
  `    ${`${k.name}@v${k.version}`.padEnd(30)} ${(k.kind ?? '').padEnd(12)} ${k.fingerprint}\n`;

function rejectedLines(rejected: ShareRejection[]): string {
  return rejected.map((r) => `  set aside ${r.label}${r.index ? ` (share ${r.index})` : ''}: ${r.reason}\n`).join('');
}

function sheetLines(sheets: EscrowSheetFiles[]): string {
  return sheets
    .map((s) =>
      s.encrypted
        ? `    ${s.index}. ${s.custodian}: encrypted to their age key: ${s.shareFile} (sheet ${s.pdf})\n`
        : `    ${s.index}. ${s.custodian}: ${s.pdf} (and .txt)\n`,
    )
    .join('');
}

export function formatCreated(r: EscrowCreateResult): string {
  const plain = r.sheets.filter((s) => !s.encrypted).length;
  return [
    `Created escrow bundle ${r.bundleId} with ${r.keys.length} key${r.keys.length > 1 ? 's' : ''}; ${setLine(r.set)}.\n`,
    `  bundle    ${r.bundleFile}\n`,
    `  manifest  ${r.manifest}\n`,
    '  keys (fingerprints):\n',
    ...r.keys.map(keyLine),
    '  share sheets, one per custodian:\n',
    sheetLines(r.sheets),
    plain > 0
      ? `Print each plain sheet, hand it to its custodian, and delete the ${plain} plain sheet${plain > 1 ? 's' : ''} (PDF and .txt) from this machine.\n`
      : 'Every share is encrypted to its custodian; this machine never held one in the clear on disk.\n',
    `Run a drill with any ${r.set.threshold}: keyturn escrow verify --bundle ${r.manifest} --share FILE ...\n`,
  ].join('');
}

export function formatVerified(r: EscrowVerifyResult): string {
  return [
    `Drill passed: shares ${r.used.join(', ')} of set ${r.set} restore bundle ${r.bundleId}, and every key matches its fingerprint.\n`,
    ...r.versions.flatMap((v) => [`  v${v.version}:\n`, ...v.keys.map((k) => keyLine({ ...k, kind: k.ok ? 'ok' : 'MISMATCH' }))]),
    rejectedLines(r.rejected),
    'Nothing was imported, written or shown.\n',
  ].join('');
}

export function formatRestored(r: EscrowRestoreResult): string {
  const out = [`Restored bundle ${r.bundleId} v${r.version}; every key matched its fingerprint.\n`];
  for (const k of r.keys) {
    const what =
      k.outcome === 'imported'
        ? `stored in the keychain as ${k.name}@v${k.keychainVersion}`
        : k.outcome === 'already-present'
          ? `already in the keychain as ${k.name}@v${k.keychainVersion}; left as it is`
          : 'written';
    out.push(`  ${`${k.name}@v${k.version}`.padEnd(30)} ${what}\n`);
  }
  if (r.outFile) out.push(`  keys file      ${r.outFile} (mode 0600: move it where it is needed, then delete it)\n`);
  if (r.identityOut) out.push(`  age identity   ${r.identityOut} (mode 0600): age -d -i ${r.identityOut} BUNDLE.age\n`);
  out.push(rejectedLines(r.rejected));
  return out.join('');
}

export function formatRekeyed(r: EscrowRekeyResult): string {
  return [
    `Rekeyed bundle ${r.bundleId}: set ${r.set.set} (${setLine(r.set)}) restores versions ${r.versions.map((v) => `v${v}`).join(', ')}, proved before anything changed.\n`,
    `Set ${r.voided.set} (${r.voided.custodians.map((c) => c.name).join(', ')}) is VOID since ${r.voided.voidedAt}: its shares no longer open this bundle's files. Copies of the old bundle files elsewhere still open with them; destroy those copies and the old sheets.\n`,
    '  new share sheets:\n',
    sheetLines(r.sheets),
    rejectedLines(r.rejected),
  ].join('');
}

export function formatBundleInfo(b: EscrowBundleInfo): string {
  return [
    `Bundle ${b.bundleId} (created ${b.created})\n`,
    `  manifest  ${b.manifest}\n`,
    `  share set ${b.set.set}: ${setLine(b.set)}\n`,
    ...b.voidedSets.map((v) => `  share set ${v.set}: VOID since ${v.voidedAt} (replaced by set ${v.replacedBy})\n`),
    ...b.versions.flatMap((v) => [`  v${v.version} (${v.created}) ${v.file}:\n`, ...v.keys.map(keyLine)]),
  ].join('');
}
