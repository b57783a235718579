// The QR code of a share as a matrix of dark modules, drawn as vector squares on the PDF sheet (crisp at any printer
// resolution) and as text blocks on screen. Error correction M: a stained or folded sheet still scans.

export interface QrMatrix {
  size: number;
  /** Row-major, true = dark module. */
  dark: boolean[];
}

export async function qrMatrix(text: string): Promise<QrMatrix> {
  // Loaded on first use, like every escrow library.
  const { default: QRCode } = await import('qrcode');
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const dark: boolean[] = [];
  for (let i = 0; i < modules.size * modules.size; i += 1) dark.push(modules.data[i] === 1);
  return { size: modules.size, dark };
}
