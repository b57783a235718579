// Test harness: a private D-Bus session with a throwaway gnome-keyring in the state a test asks for (unlocked, locked,
// no default collection, no provider, no bus at all, or a provider that never answers), and an env to run children in.
// Never with DISPLAY: a locked keyring would open a prompt and wait forever. Every process started here is killed by
// stop(), and on exit of the test process if a test forgot.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DbusConnection } from '../../electron/node/keychain/dbus/dbus-connection.js';
import { stopProcess } from './stop-process.js';

export type SecretServiceScenario = 'unlocked' | 'locked' | 'no-collection' | 'no-provider' | 'no-bus' | 'stalled';

export interface SecretServiceOptions {
  /** Shorthand: true = 'unlocked', false = 'locked'. */
  unlocked?: boolean;
  scenario?: SecretServiceScenario;
  /** The keyring password (default "keyturn-test"). */
  password?: string;
}

export interface SecretServiceSession {
  scenario: SecretServiceScenario;
  /** Env for child processes: HOME, XDG_*, KEYTURN_HOME, DBUS_SESSION_BUS_ADDRESS (except 'no-bus'); no DISPLAY. */
  env: NodeJS.ProcessEnv;
  /** The throwaway folder holding everything (removed by stop()). */
  dir: string;
  keyturnHome: string;
  busAddress?: string;
  /** Lock the default keyring of a running Secret Service (entries stay; reads then return nothing, as after a lock screen). */
  lock(): Promise<void>;
  stop(): Promise<void>;
}

const REPO = resolve(import.meta.dirname, '..', '..');
const STARTUP_MS = 10_000;
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killAll);
// A test runner that gives up on a file sends SIGTERM; 'exit' handlers do not run then, so clean up here too.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  });
}

const BUS_CONFIG = (socket: string): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <!-- No servicedir: nothing is auto-activated, so "no provider" stays true and no stray keyring starts. -->
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

const STRIPPED = ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'GNOME_KEYRING_CONTROL', 'SSH_AUTH_SOCK', 'XDG_SESSION_TYPE'];

function baseEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!STRIPPED.includes(k) && !k.startsWith('KEYTURN_')) env[k] = v;
  }
  const runtime = join(dir, 'runtime');
  for (const sub of ['home', 'data', 'config', 'cache', 'keyturn']) mkdirSync(join(dir, sub), { recursive: true });
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  return {
    ...env,
    HOME: join(dir, 'home'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_RUNTIME_DIR: runtime,
    KEYTURN_HOME: join(dir, 'keyturn'),
  };
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return stopProcess(child, 2_000);
}

async function startBus(dir: string, env: NodeJS.ProcessEnv): Promise<{ bus: ChildProcess; address: string }> {
  const config = join(dir, 'bus.conf');
  const socket = join(dir, 'bus.sock');
  writeFileSync(config, BUS_CONFIG(socket));
  const bus = track(
    spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], { env, stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const address = await new Promise<string>((resolveAddress, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not start within 10 s')), STARTUP_MS);
    bus.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) {
        clearTimeout(timer);
        resolveAddress(line.trim());
      }
    });
    bus.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    bus.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited with ${code}`));
    });
  });
  return { bus, address };
}

/** Poll the bus until `name` has an owner (and, optionally, a condition on the service holds). */
async function waitForName(address: string, name: string, ready?: (conn: DbusConnection) => Promise<boolean>): Promise<void> {
  const until = Date.now() + STARTUP_MS;
  const conn = await DbusConnection.open(address, AbortSignal.timeout(STARTUP_MS));
  try {
    while (Date.now() < until) {
      const [owned] = await conn.call({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'NameHasOwner',
        signature: 's',
        body: [name],
      });
      if (owned === true && (!ready || (await ready(conn)))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} did not appear on the test bus within 10 s`);
  } finally {
    conn.close();
  }
}

async function defaultAlias(conn: DbusConnection): Promise<string> {
  const [alias] = await conn.call({
    destination: 'org.freedesktop.secrets',
    path: '/org/freedesktop/secrets',
    interface: 'org.freedesktop.Secret.Service',
    member: 'ReadAlias',
    signature: 's',
    body: ['default'],
  });
  return String(alias);
}

async function startKeyring(env: NodeJS.ProcessEnv, address: string, password: string | undefined): Promise<ChildProcess> {
  const args = ['--foreground', '--components=secrets', ...(password !== undefined ? ['--unlock'] : [])];
  const daemon = track(spawn('gnome-keyring-daemon', args, { env, stdio: ['pipe', 'ignore', 'ignore'] }));
  // The password goes in on stdin, never on a command line.
  if (password !== undefined) daemon.stdin!.end(password);
  else daemon.stdin!.end();
  await waitForName(
    address,
    'org.freedesktop.secrets',
    password !== undefined ? async (conn) => (await defaultAlias(conn)) !== '/' : undefined,
  );
  return daemon;
}

export async function startSecretService(options: SecretServiceOptions = {}): Promise<SecretServiceSession> {
  const scenario: SecretServiceScenario = options.scenario ?? (options.unlocked === false ? 'locked' : 'unlocked');
  const password = options.password ?? 'keyturn-test';
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-ss-'));
  const env = baseEnv(dir);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await kill(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const lock = async (): Promise<void> => {
    if (!session.busAddress) throw new Error('this scenario has no bus');
    const conn = await DbusConnection.open(session.busAddress, AbortSignal.timeout(STARTUP_MS));
    try {
      const alias = await defaultAlias(conn);
      await conn.call(
        {
          destination: 'org.freedesktop.secrets',
          path: '/org/freedesktop/secrets',
          interface: 'org.freedesktop.Secret.Service',
          member: 'Lock',
          signature: 'ao',
          body: [[alias]],
        },
        AbortSignal.timeout(STARTUP_MS),
      );
    } finally {
      conn.close();
    }
  };
  const session: SecretServiceSession = { scenario, env, dir, keyturnHome: env.KEYTURN_HOME!, lock, stop };
  if (scenario === 'no-bus') return session;
  try {
    const { bus, address } = await startBus(dir, env);
    children.push(bus);
    env.DBUS_SESSION_BUS_ADDRESS = address;
    session.busAddress = address;
    if (scenario === 'unlocked') children.push(await startKeyring(env, address, password));
    if (scenario === 'no-collection') children.push(await startKeyring(env, address, undefined));
    if (scenario === 'locked') {
      // Create the login keyring with a password, then restart the daemon without unlocking it.
      const first = await startKeyring(env, address, password);
      await kill(first);
      await waitGone(address);
      children.push(await startKeyring(env, address, undefined));
    }
    if (scenario === 'stalled') {
      const stalled = track(
        spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'support', 'stalled-secret-service.ts')], {
          cwd: REPO,
          env,
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      children.push(stalled);
      await waitForName(address, 'org.freedesktop.secrets');
    }
    return session;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitGone(address: string): Promise<void> {
  const until = Date.now() + STARTUP_MS;
  const conn = await DbusConnection.open(address);
  try {
    while (Date.now() < until) {
      const [owned] = await conn.call({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'NameHasOwner',
        signature: 's',
        body: ['org.freedesktop.secrets'],
      });
      if (owned !== true) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the first gnome-keyring-daemon did not leave the bus');
  } finally {
    conn.close();
  }
}
