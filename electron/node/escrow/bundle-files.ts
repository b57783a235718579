// The bundle folder on disk: `escrow-<ID>.json` (manifest), `escrow-<ID>-v<version>-s<set>.age` (one age file per
// bundle version, encrypted to the set's identity), and `shares/` with each custodian's sheets. Names are fixed so a
// person (or the README's recovery path) can find everything without Keyturn.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { writeFileAtomic, writeNewFileAtomic } from '../files/atomic-write.js';
import { parseManifest, type BundleVersion, type Manifest } from './bundle-model.js';
import { custodianSlug } from './custodians.js';

export const SHARES_DIR = 'shares';
/** Encrypted files and the manifest hold no secret in the clear; sheets of plain shares do and stay owner-only. */
export const PUBLIC_MODE = 0o644;
export const PRIVATE_MODE = 0o600;

export const manifestFileName = (bundleId: string): string => `escrow-${bundleId}.json`;
export const bundleFileName = (bundleId: string, version: number, set: number): string => `escrow-${bundleId}-v${version}-s${set}.age`;
export const sheetBaseName = (bundleId: string, set: number, index: number, custodian: string): string =>
  `escrow-${bundleId}-s${set}-share-${index}-${custodianSlug(custodian)}`;

const MANIFEST_NAME = /^escrow-([0-9A-HJKMNP-TV-Z]{8})\.json$/;
const BUNDLE_NAME = /^escrow-([0-9A-HJKMNP-TV-Z]{8})-v\d+-s\d+\.age$/;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface LocatedBundle {
  manifestPath: string;
  dir: string;
  manifest: Manifest;
}

function unreadable(path: string, why: string): KeyturnError {
  return new KeyturnError('unreadable-input', `${path} ${why}.`);
}

/** Accepts the manifest, one of the bundle's .age files, or the folder holding exactly one manifest. */
export async function locateBundle(path: string): Promise<LocatedBundle> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw unreadable(path, 'does not exist');
  let manifestPath = path;
  if (info.isDirectory()) {
    const manifests = (await readdir(path)).filter((f) => MANIFEST_NAME.test(f));
    if (manifests.length !== 1)
      throw unreadable(
        path,
        manifests.length === 0
          ? 'holds no escrow manifest (escrow-<ID>.json)'
          : `holds ${manifests.length} escrow manifests; name one of them with --bundle`,
      );
    manifestPath = join(path, manifests[0]!);
  } else {
    const age = BUNDLE_NAME.exec(basename(path));
    if (age) manifestPath = join(dirname(path), manifestFileName(age[1]!));
  }
  const text = await readFile(manifestPath, 'utf8').catch(() => {
    throw unreadable(manifestPath, 'cannot be read; the manifest must stay beside the bundle files');
  });
  return { manifestPath, dir: dirname(manifestPath), manifest: parseManifest(text, manifestPath) };
}

/** The bundle version asked for (default: the latest). */
export function versionOf(manifest: Manifest, version?: number): BundleVersion {
  const found = version === undefined ? manifest.versions.at(-1) : manifest.versions.find((v) => v.version === version);
  if (!found)
    throw new KeyturnError(
      'not-found',
      `Bundle ${manifest.bundleId} has no version ${version}; it has ${manifest.versions.map((v) => `v${v.version}`).join(', ')}.`,
    );
  return found;
}

/** An age file of the bundle, checked against the hash in the manifest before anything tries to decrypt it. */
export async function readBundleVersion(dir: string, entry: BundleVersion): Promise<Uint8Array> {
  const path = join(dir, entry.file);
  const bytes = await readFile(path).catch(() => {
    throw unreadable(path, 'cannot be read; the manifest lists it as a bundle file');
  });
  if (sha256Hex(bytes) !== entry.sha256)
    throw new KeyturnError(
      'check-failed',
      `${path} is not the file the manifest recorded (its SHA-256 differs): it was replaced or damaged. Restore it from a copy.`,
    );
  return new Uint8Array(bytes);
}

/** A new file in the bundle folder; an existing one is never replaced. */
export async function writeNew(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  await writeNewFileAtomic(path, data, { mode }).catch(async (error: NodeJS.ErrnoException) => {
    // mkdir also says EEXIST when a file stands where a folder should be: only the file itself existing is "exists".
    if (error.code === 'EEXIST' && (await lstat(path).catch(() => undefined)))
      throw new KeyturnError('already-exists', `${path} already exists; Keyturn never overwrites it. Choose another folder or name.`);
    throw new KeyturnError('io', `${path} could not be written (${error.code ?? 'error'}).`);
  });
}

export function manifestText(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** Replaces the manifest atomically: the commit point of add-version and rekey. */
export async function replaceManifest(path: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path, manifestText(manifest), { mode: PUBLIC_MODE });
}
