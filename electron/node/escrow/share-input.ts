// Turns what a custodian hands over into shares: typed text, a text sheet, a photo or scan of the QR code (PNG or
// JPEG), or their age-encrypted share file (opened with their identity). Each input that cannot be read becomes a
// rejection naming the input, never quoting it, so the other inputs still count.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { decryptAge, isArmoredAge } from './age-crypto.js';
import { imageKind, readQrText } from './qr-read.js';
import { decodeShare, type EscrowShare } from './share-codec.js';
import type { GivenShare, Rejection } from './share-set.js';

/** Where one share comes from: text typed or pasted, a file named on the command line, or bytes uploaded in the app. */
export type ShareSource =
  { kind: 'text'; text: string; label?: string } | { kind: 'file'; path: string } | { kind: 'bytes'; name: string; bytes: Uint8Array };

const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const ARMOR_BLOCK = /-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/;
/** A share line as a text sheet prints it: a line number, then up to four groups of six characters. */
const SHEET_LINE = /^\s*\d{1,2}\s{2,}((?:[0-9A-Za-z]{6}[ -]?){1,4})\s*$/;

export function sourceLabel(source: ShareSource, position: number): string {
  if (source.kind === 'file') return `share ${position} (${basename(source.path)})`;
  if (source.kind === 'bytes') return `share ${position} (${basename(source.name)})`;
  return `share ${position} (${source.label ?? 'typed'})`;
}

/** The share text inside a text sheet, or the text itself when it is not a sheet. */
function shareTextOf(text: string): string {
  const lines = text.split(/\r?\n/);
  const sheet = lines.map((l) => SHEET_LINE.exec(l)?.[1]).filter((l): l is string => l !== undefined);
  return sheet.length > 0 && lines.length > sheet.length ? sheet.join(' ') : text;
}

async function bytesOf(source: ShareSource): Promise<Uint8Array | string> {
  if (source.kind === 'text') return source.text;
  if (source.kind === 'bytes') return source.bytes;
  const bytes = await readFile(source.path).catch((error: NodeJS.ErrnoException) => {
    throw new KeyturnError(
      'unreadable-input',
      error.code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${error.code ?? 'error'})`,
    );
  });
  if (bytes.length > MAX_INPUT_BYTES) throw new KeyturnError('unreadable-input', 'the file is too large to be a share');
  return new Uint8Array(bytes);
}

async function readOne(source: ShareSource, identities: string[]): Promise<EscrowShare> {
  const raw = await bytesOf(source);
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (imageKind(raw)) text = await readQrText(raw, 'the image');
  else if (new TextDecoder().decode(raw.subarray(0, 5)) === '%PDF-')
    throw new KeyturnError(
      'unreadable-input',
      'it is a PDF; give the text sheet (.txt), a scan or photo of its QR code (PNG or JPEG), or type the share',
    );
  else text = new TextDecoder().decode(raw);
  const armored = ARMOR_BLOCK.exec(text)?.[0];
  if (armored !== undefined || isArmoredAge(text)) {
    if (identities.length === 0)
      throw new KeyturnError(
        'invalid-share',
        "it is encrypted to a custodian's age key: give their identity file (--identity), or let them decrypt it with age -d -i",
      );
    const opened = await decryptAge(armored ?? text, identities, 'it').catch((error: unknown) => {
      if (error instanceof KeyturnError && error.details?.reason === 'no-identity-matched')
        throw new KeyturnError('invalid-share', 'it is encrypted to a custodian whose identity was not given');
      throw error;
    });
    text = new TextDecoder().decode(opened);
  }
  return decodeShare(shareTextOf(text));
}

/**
 * Reads every source. `identities` are custodians' age identities (AGE-SECRET-KEY-1...) for encrypted shares. Inputs
 * that fail are returned as rejections (with the reason in a sentence) so the caller can report all of them at once.
 */
export async function readShares(
  sources: ShareSource[],
  identities: string[] = [],
): Promise<{ given: GivenShare[]; unreadable: Rejection[] }> {
  const given: GivenShare[] = [];
  const unreadable: Rejection[] = [];
  for (const [i, source] of sources.entries()) {
    const label = sourceLabel(source, i + 1);
    try {
      given.push({ share: await readOne(source, identities), label });
    } catch (error) {
      if (!(error instanceof KeyturnError)) throw error;
      // Messages from the codec start with a capital; inside "label: reason" they read better in lower case.
      unreadable.push({ label, reason: error.message.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/\.$/, '') });
    }
  }
  return { given, unreadable };
}
