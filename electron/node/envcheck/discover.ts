// Expands the paths given to `env check` into .env files: files as given, folders searched recursively.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isInside } from '../files/path-guard.js';

/** Folders never searched: dependencies and version-control internals. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const TEMPLATE_PARTS = new Set(['example', 'sample', 'template', 'dist', 'default', 'defaults', 'tmpl', 'tpl']);

export interface FoundFile {
  path: string;
  /** Named on the command line (an unreadable one is an input error) rather than found in a folder (skipped with a note). */
  explicit: boolean;
  /** A symlink found in a folder that leads out of it: never read, named in a note instead. */
  leavesRoot?: true;
  /** A shell script (`*.sh`): only its `export NAME=value` lines are read, and only with --shell (or when named). */
  shell?: boolean;
}

/** Deploy scripts and runbooks set variables with `export NAME=value` too (the HRMS runbook does). */
export function isShellScriptName(name: string): boolean {
  return name.endsWith('.sh') && name.length > 3;
}

/** `.env`, `.env.production`, `.env.example`, `production.env`; not `.envrc` (direnv's shell script). */
export function isEnvFileName(name: string): boolean {
  return name === '.env' || name.startsWith('.env.') || (name.endsWith('.env') && name.length > 4 && name !== '.env');
}

/** Templates document variables with placeholders: `.env.example`, `.env.sample`, `example.env`, `.env.local.template`. */
export function isTemplateName(name: string): boolean {
  return name
    .toLowerCase()
    .split('.')
    .some((part) => TEMPLATE_PARTS.has(part));
}

/** Copies such as the `.bak` that `env fix` keeps: their secrets count (permissions, git) but their content is history. */
export function isBackupName(name: string): boolean {
  return /\.(?:bak|backup|orig|old|save|swp)$|~$/i.test(name);
}

/**
 * Collects .env files under `dir`. Symlinked folders are not followed (loops, and trees outside the one asked for);
 * a symlinked file is read only when its target lies inside `root` (the real path of the folder being scanned), so a
 * `.env -> ~/.ssh/id_ed25519` in a repository never reaches a report.
 */
async function walk(dir: string, root: string, out: FoundFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await walk(full, root, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && (isEnvFileName(entry.name) || isShellScriptName(entry.name))) {
      const found: FoundFile = isShellScriptName(entry.name)
        ? { path: full, explicit: false, shell: true }
        : { path: full, explicit: false };
      if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => null);
        if (target === null) continue; // dangling
        if (!isInside(root, target)) {
          out.push({ ...found, leavesRoot: true });
          continue;
        }
        if (!(await stat(target).catch(() => null))?.isFile()) continue;
      }
      out.push(found);
    }
  }
}

export async function discoverEnvFiles(paths: string[], cwd: string = process.cwd()): Promise<FoundFile[]> {
  if (paths.length === 0) throw new KeyturnError('usage', 'Name at least one .env file or folder to check, e.g. `keyturn env check .`.');
  const found = new Map<string, FoundFile>();
  for (const given of paths) {
    const full = resolve(cwd, given);
    const info = await stat(full).catch((error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'ENOENT'
          ? 'does not exist'
          : error.code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${error.code ?? 'error'})`;
      throw new KeyturnError('unreadable-input', `${given} ${why}; check the path.`);
    });
    if (info.isDirectory()) {
      const files: FoundFile[] = [];
      await walk(full, await realpath(full), files);
      for (const f of files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) if (!found.has(f.path)) found.set(f.path, f);
    } else if (info.isFile()) {
      found.set(full, isShellScriptName(basename(full)) ? { path: full, explicit: true, shell: true } : { path: full, explicit: true });
    } else {
      throw new KeyturnError('unreadable-input', `${basename(given)} is not a regular file or folder; name a .env file or a folder.`);
    }
  }
  return [...found.values()];
}
