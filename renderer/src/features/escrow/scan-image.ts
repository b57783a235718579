// A photo or scan of a QR code, made small enough to hand to the host in one request: the browser decodes it, draws it
// at most MAX_SIDE pixels on its long side (plenty for a QR code filling part of a page) and re-encodes it as JPEG.
import { MAX_SHARE_IMAGE_BASE64 } from '../../../../shared/ipc/features/escrow.js';

const SIDES = [2000, 1500, 1100];

function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('the image could not be read'));
    reader.readAsDataURL(blob);
  });
}

export async function imageForHost(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  try {
    for (const side of SIDES) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('this browser cannot draw the image');
      // A white ground first: a transparent PNG would otherwise turn black in the JPEG.
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
      if (!blob) throw new Error('the image could not be encoded');
      const base64 = await blobToBase64(blob);
      if (base64.length <= MAX_SHARE_IMAGE_BASE64) return base64;
    }
  } finally {
    bitmap.close();
  }
  throw new Error('the image is too large even when scaled down');
}
