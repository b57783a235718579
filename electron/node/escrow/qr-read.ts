// Reads a share from a photo or scan of its QR code, in pure JS so it installs from npm everywhere and works offline:
// pngjs and jpeg-js decode the image, jsQR finds and decodes the code (no native module, no WebAssembly, no camera).
import { KeyturnError } from '../../../shared/domain/errors.js';

/** The one call used, typed here: under NodeNext the package's own default-export types describe the module object. */
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' },
) => { data: string } | null;

/** jsQR is a webpack UMD build exporting `default`: Node's ESM loader wraps it once more, bundlers do not. */
async function loadJsQr(): Promise<JsQr> {
  const mod = (await import('jsqr')) as unknown as { default: JsQr | { default: JsQr } };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

/** A scan of an A4 page at 600 dpi is about 35 megapixels; anything larger is refused before it is decoded. */
const MAX_MEGAPIXELS = 64;

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

async function decodeImage(bytes: Uint8Array, what: string): Promise<Rgba> {
  const kind = imageKind(bytes);
  try {
    if (kind === 'png') {
      const { PNG } = await import('pngjs');
      const png = PNG.sync.read(Buffer.from(bytes));
      if (png.width * png.height > MAX_MEGAPIXELS * 1e6) throw new RangeError('too large');
      return { width: png.width, height: png.height, data: png.data };
    }
    if (kind === 'jpeg') {
      const { default: jpeg } = await import('jpeg-js');
      const jpg = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
      return { width: jpg.width, height: jpg.height, data: jpg.data };
    }
  } catch {
    throw new KeyturnError('unreadable-input', `${what} is a damaged or too large image (at most ${MAX_MEGAPIXELS} megapixels).`);
  }
  throw new KeyturnError('unreadable-input', `${what} is not a PNG or JPEG image.`);
}

/** The text of the QR code in the image; fails with a sentence when there is none that can be read. */
export async function readQrText(bytes: Uint8Array, what: string): Promise<string> {
  const image = await decodeImage(bytes, what);
  const jsQR = await loadJsQr();
  const clamped = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.width * image.height * 4);
  const found = jsQR(clamped, image.width, image.height, { inversionAttempts: 'attemptBoth' });
  if (!found || found.data.length === 0)
    throw new KeyturnError(
      'unreadable-input',
      `No QR code could be read in ${what}. Scan or photograph the code flat, in focus and filling a good part of the image, or type the share instead.`,
    );
  return found.data;
}
