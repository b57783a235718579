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

/** This checkout's npm scripts that run the CLI (`npm run keyturn -- ...`, `npm run serve`). */
const CLI_SCRIPTS = new Set(['keyturn', 'serve']);

/**
 * INIT_CWD when the CLI runs through one of this checkout's own npm scripts, else null. npm sets INIT_CWD for every
 * script, and its variables reach every process below it, so three things must hold:
 * - `npm_package_json` names this checkout's package.json: a user's own script (`"check": "keyturn env check .env"`
 *   in their package.json) runs in their package root on purpose, and its paths are relative to that;
 * - the script is one that runs the CLI (`keyturn`, `serve`), not e.g. `npm test`, whose tests start the CLI in
 *   folders of their own with npm's variables inherited;
 * - the process is still in the checkout's root, where npm put it: anyone who started it elsewhere meant that folder.
 */
export function npmCallerCwd(env: NodeJS.ProcessEnv, packageRoot: string, cwd: string = process.cwd()): string | null {
  const init = env.INIT_CWD;
  const manifest = env.npm_package_json;
  if (!init || !manifest || !CLI_SCRIPTS.has(env.npm_lifecycle_event ?? '')) return null;
  const ours = real(join(packageRoot, 'package.json'));
  if (ours === null || real(manifest) !== ours) return null;
  if (real(cwd) !== real(packageRoot)) return null;
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
