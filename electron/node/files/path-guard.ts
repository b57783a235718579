// Confines file paths that come from the page: the web host accepts only paths under the root it was started with,
// Electron only paths the user picked in a native dialog this session (or under them). Symlinks are resolved first,
// so a link inside an allowed folder cannot lead out of it.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';

export interface PathGuard {
  /**
   * The real, absolute path when `path` lies under an allowed place; throws `forbidden` with a sentence otherwise.
   * A path that does not exist yet (a file about to be created) is judged by its parent folder.
   */
  confine(path: string): Promise<string>;
  /** Where paths are allowed, for the page to say ("under /home/me/src"). */
  describe(): string;
}

export interface GrantingPathGuard extends PathGuard {
  /** Allows these paths (and everything under them) for the rest of the session: what the native dialog returned. */
  grant(paths: readonly string[]): Promise<void>;
}

export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`, or of its parent folder joined with its name when it does not exist yet. */
async function real(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return join(await realpath(dirname(path)).catch(() => dirname(path)), basename(path));
  }
}

function refuse(what: string): KeyturnError {
  return new KeyturnError('forbidden', what);
}

/** `keyturn serve`: only paths under `root` (default: the folder it was started in). Relative paths are taken from root. */
export function rootPathGuard(root: string): PathGuard {
  const base = resolve(root);
  let realBase: Promise<string> | undefined;
  return {
    describe: () => `under ${base}`,
    async confine(path) {
      if (path.includes('\0')) throw refuse('A path cannot contain NUL.');
      realBase ??= realpath(base);
      const full = await real(resolve(base, path));
      if (!isInside(await realBase, full)) {
        throw refuse(
          `Keyturn serve only reads and writes files under ${base}, the folder it was started for; restart it with --root to allow another folder.`,
        );
      }
      return full;
    },
  };
}

/** Electron: only what the user picked in a native dialog this session, or paths under it. */
export function dialogPathGuard(): GrantingPathGuard {
  const granted = new Set<string>();
  return {
    describe: () => (granted.size === 0 ? 'nowhere yet: choose files or a folder first' : `under ${[...granted].join(', ')}`),
    async grant(paths) {
      for (const p of paths) granted.add(await real(resolve(p)));
    },
    async confine(path) {
      if (path.includes('\0')) throw refuse('A path cannot contain NUL.');
      if (!isAbsolute(path))
        throw refuse('Choose files or a folder with the buttons; typed relative paths are not accepted in the desktop app.');
      const full = await real(path);
      for (const allowed of granted) if (isInside(allowed, full)) return full;
      throw refuse(
        'The desktop app only opens files and folders you chose with its file dialog; choose this one with "Choose files…" or "Choose folder…".',
      );
    },
  };
}
