// One custodian's share sheet: what it says (the model both renderers use) and its plain-text form. Fingerprints of
// the protected keys only, never a value; the share itself either as typeable groups or, encrypted to the custodian,
// as an age file only they can open.
import type { EscrowKeyMeta } from '../../../shared/domain/escrow.js';
import { shareLines } from './share-codec.js';

export interface SheetShare {
  form: 'plain' | 'encrypted';
  /** plain: the canonical share text (the QR code holds the same); encrypted: the ASCII-armored age file. */
  text: string;
  /** encrypted: the custodian's age recipient it was encrypted to. */
  recipient?: string;
}

export interface ShareSheet {
  bundleId: string;
  set: number;
  /** YYYY-MM-DD */
  date: string;
  custodian: { index: number; name: string };
  threshold: number;
  shares: number;
  /** Other custodians by index and name, so whoever restores knows whom to ask. */
  custodians: { index: number; name: string }[];
  keys: Pick<EscrowKeyMeta, 'name' | 'version' | 'kind' | 'fingerprint'>[];
  share: SheetShare;
  /** File names, so the instructions can name them. */
  manifestFile: string;
}

export function sheetTitle(s: ShareSheet): string {
  return `Keyturn escrow share ${s.custodian.index} of ${s.shares} - bundle ${s.bundleId}`;
}

/** The instructions printed on every sheet, as short lines (the PDF wraps nothing itself). */
export function restoreInstructions(s: ShareSheet): string[] {
  const typed =
    s.share.form === 'plain'
      ? [
          'Your share is the 16 groups above (or the QR code). Spaces, dashes and letter case do not matter; each group',
          'ends in a check character, so a typing error is found and its group named.',
        ]
      : [
          `Your share is encrypted to your age key (${s.share.recipient?.slice(0, 16)}...). Keep the file or this page;`,
          'to read it: age -d -i YOUR-IDENTITY.txt share.age   (or let Keyturn decrypt it: --identity YOUR-IDENTITY.txt)',
        ];
  return [
    ...typed,
    `Any ${s.threshold} of the ${s.shares} custodians restore the keys together; fewer learn nothing about them.`,
    `Keep this sheet private and offline. Never photograph it to a cloud service or send it by email or chat.`,
    'To restore (on an offline machine if you can), with the bundle folder and the shares:',
    `  keyturn escrow restore --bundle ${s.manifestFile} --share FILE-OR-TEXT ... --import`,
    'A drill that proves the shares still work, without revealing anything:',
    `  keyturn escrow verify --bundle ${s.manifestFile} --share ...`,
    'Without Keyturn: "keyturn escrow restore --identity-out id.txt" (or any tool implementing the share format in the',
    "README) gives the age identity, and Debian's age opens the bundle:  age -d -i id.txt BUNDLE-FILE.age > keys.json",
    'Check every restored key against the fingerprints above.',
  ];
}

export function renderTextSheet(s: ShareSheet): string {
  const out: string[] = [];
  out.push(sheetTitle(s), '='.repeat(sheetTitle(s).length), '');
  out.push(`Bundle:     ${s.bundleId} (share set ${s.set})`);
  out.push(`Date:       ${s.date}`);
  out.push(`Custodian:  ${s.custodian.name} (share ${s.custodian.index} of ${s.shares})`);
  out.push(`Threshold:  any ${s.threshold} of ${s.shares} shares restore the bundle`);
  out.push(`Custodians: ${s.custodians.map((c) => `${c.index}. ${c.name}`).join(', ')}`);
  out.push('');
  if (s.share.form === 'plain') {
    out.push('SHARE (type it back exactly as printed; the QR code on the PDF sheet holds the same text):', '');
    out.push(...shareLines(s.share.text).map((l) => `  ${l}`));
  } else {
    out.push(`SHARE, encrypted to ${s.custodian.name}'s age recipient ${s.share.recipient}:`, '');
    out.push(...s.share.text.trimEnd().split('\n'));
  }
  out.push('', 'KEYS THIS BUNDLE PROTECTS (fingerprints only; no value is on this sheet):', '');
  for (const k of s.keys) out.push(`  ${`${k.name}@v${k.version}`.padEnd(28)} ${k.kind.padEnd(12)} ${k.fingerprint}`);
  out.push('', 'RESTORE', '');
  out.push(...restoreInstructions(s));
  return out.join('\n') + '\n';
}
