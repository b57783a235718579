// The folder a user typed the command in. `npm run keyturn` in a Keyturn checkout runs the CLI from the checkout's root
// and keeps the user's folder in INIT_CWD, so `.env` would name the checkout's file (or none). That one case moves back
// to INIT_CWD; every other way of starting the CLI already runs in the caller's folder.
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/**
 * INIT_CWD when the CLI runs through one of this checkout's own npm scripts, else null. npm sets INIT_CWD for every
 * script, including a user's own (`"check": "keyturn env check .env"` in their package.json): that script runs in the
 * user's package root on purpose and its paths are relative to it, so INIT_CWD is honoured only when
 * `npm_package_json` names this checkout's package.json, i.e. npm moved to our root, not to theirs.
 */
export function npmCallerCwd(env: NodeJS.ProcessEnv, packageRoot: string): string | null {
  const init = env.INIT_CWD;
  const manifest = env.npm_package_json;
  if (!init || !manifest || env.npm_lifecycle_event === undefined) return null;
  const ours = real(join(packageRoot, 'package.json'));
  if (ours === null || real(manifest) !== ours) return null;
  try {
    return statSync(init).isDirectory() ? init : null;
  } catch {
    return null;
  }
}

/** Moves the process to the caller's folder when npm moved it away; relative paths then resolve as the user meant. */
export function restoreCallerCwd(packageRoot: string, env: NodeJS.ProcessEnv = process.env): void {
  const caller = npmCallerCwd(env, packageRoot);
  if (caller !== null && real(caller) !== real(process.cwd())) process.chdir(caller);
}
