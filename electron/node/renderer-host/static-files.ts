// Maps a URL path to a file inside the built renderer folder, refusing anything that could escape it.
import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names under `root`, or undefined when the path is malformed or would leave `root`
 * (`..`, encoded separators, NUL, absolute or drive paths). `/` serves index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.' || s.includes(':'))) return undefined;
  const rel = segments.length === 0 ? 'index.html' : segments.join(sep);
  const base = resolve(root);
  const full = resolve(join(base, rel));
  return isInside(base, full) ? full : undefined;
}

function isInside(base: string, full: string): boolean {
  const inside = relative(base, full);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

/**
 * Like resolveStaticPath, but only for an existing regular file whose real path (symlinks followed) is inside `root`.
 * Synchronous on purpose: inside a packaged app the files live in app.asar, and Electron's asar support is certain
 * for the sync calls (Node's module loader depends on them); the files are small and local.
 */
export async function findStaticFile(root: string, urlPath: string): Promise<string | undefined> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return undefined;
  try {
    if (!isInside(realpathSync(root), realpathSync(file))) return undefined;
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
