// The printable share sheet: one A4 page per custodian, drawn with pdf-lib's built-in fonts (no font files to ship)
// and the QR code as vector squares, so it prints sharp and scans back (tested with pdftoppm and zbarimg).
import type * as PdfLib from 'pdf-lib';
import type { PDFDocument, PDFFont, PDFPage, RGB } from 'pdf-lib';
import { qrMatrix } from './qr-matrix.js';
import { shareLines } from './share-codec.js';
import { restoreInstructions, sheetTitle, type ShareSheet } from './share-sheet-text.js';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const QR_QUIET_MODULES = 4;
/** pdf-lib is loaded on first use (see lazy-loading.test.ts), so its colours are made then. */
interface Ink {
  black: RGB;
  grey: RGB;
}

/** The standard fonts speak WinAnsi only: other characters (a custodian named in another script) print as "?". */
function winAnsi(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

interface Pen {
  page: PDFPage;
  y: number;
  ink: Ink;
}

function line(pen: Pen, text: string, font: PDFFont, size: number, options: { x?: number; gap?: number; color?: RGB } = {}): void {
  pen.y -= size + (options.gap ?? 3);
  const width = A4[0] - MARGIN - (options.x ?? MARGIN);
  let fitted = size;
  const safe = winAnsi(text);
  while (fitted > 5 && font.widthOfTextAtSize(safe, fitted) > width) fitted -= 0.25;
  pen.page.drawText(safe, { x: options.x ?? MARGIN, y: pen.y, size: fitted, font, color: options.color ?? pen.ink.black });
}

/** Draws the QR code with its quiet zone inside a square of `side` points whose top-left corner is (x, top). */
async function drawQr(pen: Pen, text: string, x: number, top: number, side: number): Promise<void> {
  const { page, ink } = pen;
  const { size, dark } = await qrMatrix(text);
  const cell = side / (size + 2 * QR_QUIET_MODULES);
  const origin = x + QR_QUIET_MODULES * cell;
  for (let row = 0; row < size; row += 1) {
    // One rectangle per run of dark modules keeps the file small and avoids hairline gaps between squares.
    let col = 0;
    while (col < size) {
      if (!dark[row * size + col]) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < size && dark[row * size + col]) col += 1;
      page.drawRectangle({
        x: origin + start * cell,
        y: top - (QR_QUIET_MODULES + row + 1) * cell,
        width: (col - start) * cell,
        height: cell,
        color: ink.black,
      });
    }
  }
}

async function drawSheet(pdf: typeof PdfLib, doc: PDFDocument, s: ShareSheet): Promise<void> {
  const { StandardFonts, rgb } = pdf;
  const page = doc.addPage(A4);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const monoBold = await doc.embedFont(StandardFonts.CourierBold);
  const ink: Ink = { black: rgb(0, 0, 0), grey: rgb(0.35, 0.35, 0.35) };
  const pen: Pen = { page, ink, y: A4[1] - MARGIN + 6 };
  line(pen, sheetTitle(s), bold, 16);
  pen.y -= 6;
  line(pen, `Bundle ${s.bundleId}, share set ${s.set}    Date ${s.date}`, regular, 11);
  line(pen, `Custodian: ${s.custodian.name} (share ${s.custodian.index} of ${s.shares})`, bold, 11);
  line(pen, `Any ${s.threshold} of the ${s.shares} shares restore the bundle.`, regular, 11);
  line(pen, `Custodians: ${s.custodians.map((c) => `${c.index}. ${c.name}`).join(', ')}`, regular, 9, { color: ink.grey });
  pen.y -= 14;

  const qrSide = s.share.form === 'plain' ? 180 : 230;
  const qrTop = pen.y;
  await drawQr(pen, s.share.text, A4[0] - MARGIN - qrSide, qrTop, qrSide);
  const textPen: Pen = { page, ink, y: qrTop };
  if (s.share.form === 'plain') {
    line(textPen, 'Share (type it back as printed):', bold, 10);
    textPen.y -= 6;
    for (const l of shareLines(s.share.text)) line(textPen, l, monoBold, 14, { gap: 8 });
  } else {
    line(textPen, `Share, encrypted to ${s.custodian.name}'s age key:`, bold, 10);
    line(textPen, s.share.recipient ?? '', mono, 6.5, { color: ink.grey });
    textPen.y -= 4;
    for (const l of s.share.text.trimEnd().split('\n')) line(textPen, l, mono, 6.5, { gap: 1.5 });
  }
  pen.y = Math.min(textPen.y, qrTop - qrSide) - 16;

  line(pen, 'Keys this bundle protects (fingerprints only; no value is on this sheet):', bold, 10);
  pen.y -= 2;
  const room = Math.max(1, Math.floor((pen.y - MARGIN - 180) / 11));
  const shown = s.keys.length > room ? s.keys.slice(0, room - 1) : s.keys;
  for (const k of shown) line(pen, `${`${k.name}@v${k.version}`.padEnd(30)} ${k.kind.padEnd(12)} ${k.fingerprint}`, mono, 8, { gap: 3 });
  if (shown.length < s.keys.length)
    line(pen, `... and ${s.keys.length - shown.length} more: see the manifest ${s.manifestFile}`, regular, 8, { color: ink.grey });
  pen.y -= 12;
  line(pen, 'Restore', bold, 10);
  for (const l of restoreInstructions(s)) line(pen, l, l.startsWith('  ') ? mono : regular, 8, { gap: 3 });
}

/** One PDF holding one page per sheet (callers pass one sheet per custodian file). */
export async function renderPdfSheets(sheets: ShareSheet[], created: Date): Promise<Uint8Array> {
  const pdf = await import('pdf-lib');
  const doc = await pdf.PDFDocument.create();
  doc.setTitle(sheets.length === 1 ? sheetTitle(sheets[0]!) : `Keyturn escrow shares - bundle ${sheets[0]?.bundleId ?? ''}`);
  doc.setCreator('Keyturn');
  doc.setProducer('Keyturn (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  for (const sheet of sheets) await drawSheet(pdf, doc, sheet);
  return doc.save();
}
