// In-process use of loopback-guard.mjs (see there): importing this installs the guard; `blockedConnects` lists the
// hosts this process tried to reach beyond loopback (tests assert it stays empty).
import './loopback-guard.mjs';

export const blockedConnects: string[] = (globalThis as unknown as Record<symbol, { blocked: string[] }>)[
  Symbol.for('keyturn.loopbackGuard')
]!.blocked;

/** NODE_OPTIONS for a child process: the guard loaded before anything else. */
export const LOOPBACK_GUARD_IMPORT = `--import=${new URL('./loopback-guard.mjs', import.meta.url).pathname}`;
