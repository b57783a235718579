// Writes a set's sheets into the bundle's shares/ folder: per custodian a PDF page, the same as plain text, and (when
// the custodian gave an age recipient) the share as an age file only their identity opens. A plain share never
// reaches disk for a custodian with a recipient.
import { join } from 'node:path';
import type { EscrowKeyMeta, EscrowSheetFiles } from '../../../shared/domain/escrow.js';
import type { ShareSetRecord } from './bundle-model.js';
import { encryptArmored } from './age-crypto.js';
import { PRIVATE_MODE, PUBLIC_MODE, SHARES_DIR, manifestFileName, sheetBaseName, writeNew } from './bundle-files.js';
import { encodeShare, type EscrowShare } from './share-codec.js';
import { renderPdfSheets } from './share-sheet-pdf.js';
import { renderTextSheet, type ShareSheet } from './share-sheet-text.js';

export interface SheetInput {
  bundleDir: string;
  bundleId: string;
  set: ShareSetRecord;
  shares: EscrowShare[];
  keys: EscrowKeyMeta[];
  created: Date;
}

/** Builds every sheet in memory first (encrypting where asked), so a failure writes nothing. */
async function buildSheets(input: SheetInput): Promise<{ sheet: ShareSheet; base: string }[]> {
  const { set } = input;
  const out: { sheet: ShareSheet; base: string }[] = [];
  for (const share of input.shares) {
    const custodian = set.custodians.find((c) => c.index === share.index)!;
    const text = encodeShare(share);
    const recipient = custodian.recipient;
    const sheet: ShareSheet = {
      bundleId: input.bundleId,
      set: set.set,
      date: input.created.toISOString().slice(0, 10),
      custodian: { index: share.index, name: custodian.name },
      threshold: set.threshold,
      shares: set.shares,
      custodians: set.custodians.map((c) => ({ index: c.index, name: c.name })),
      keys: input.keys.map(({ name, version, kind, fingerprint }) => ({ name, version, kind, fingerprint })),
      share: recipient ? { form: 'encrypted', text: await encryptArmored([recipient], text), recipient } : { form: 'plain', text },
      manifestFile: manifestFileName(input.bundleId),
    };
    out.push({ sheet, base: sheetBaseName(input.bundleId, set.set, share.index, custodian.name) });
  }
  return out;
}

export async function writeShareSheets(input: SheetInput, written: string[]): Promise<EscrowSheetFiles[]> {
  const dir = join(input.bundleDir, SHARES_DIR);
  const sheets = await buildSheets(input);
  const result: EscrowSheetFiles[] = [];
  for (const { sheet, base } of sheets) {
    const encrypted = sheet.share.form === 'encrypted';
    // A plain share on disk is as sensitive as the share itself: owner-only until it is printed and handed over.
    const mode = encrypted ? PUBLIC_MODE : PRIVATE_MODE;
    const pdf = join(dir, `${base}.pdf`);
    const text = join(dir, `${base}.txt`);
    await writeNew(pdf, await renderPdfSheets([sheet], input.created), mode);
    written.push(pdf);
    await writeNew(text, renderTextSheet(sheet), mode);
    written.push(text);
    const entry: EscrowSheetFiles = { index: sheet.custodian.index, custodian: sheet.custodian.name, encrypted, pdf, text };
    if (encrypted) {
      entry.shareFile = join(dir, `${base}.age`);
      await writeNew(entry.shareFile, sheet.share.text, PUBLIC_MODE);
      written.push(entry.shareFile);
    }
    result.push(entry);
  }
  return result;
}
