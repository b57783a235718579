// A minimal D-Bus session-bus client (EXTERNAL auth, method calls) so Keyturn can ask the Secret Service about its
// state without a native binding; every step can be cancelled, and closing the socket ends it for good.
import { connect, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DbusValue } from './dbus-marshal.js';
import { MESSAGE_TYPE, decodeMessage, encodeMessage, type DbusMessage } from './dbus-message.js';

export class DbusCallError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = 'DbusCallError';
  }
}

export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

/**
 * The session bus address as GLib finds it: DBUS_SESSION_BUS_ADDRESS, else the systemd user bus socket.
 * (GLib would also try X11 autolaunch; Keyturn never runs with a DISPLAY it could use for that in tests.)
 */
export function sessionBusAddress(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DBUS_SESSION_BUS_ADDRESS) return env.DBUS_SESSION_BUS_ADDRESS;
  if (env.XDG_RUNTIME_DIR) {
    const path = join(env.XDG_RUNTIME_DIR, 'bus');
    if (existsSync(path)) return `unix:path=${path}`;
  }
  return undefined;
}

/** Socket paths to try for an address list such as `unix:path=/run/user/1000/bus,guid=...;unix:abstract=...`. */
export function socketPathsOf(address: string): string[] {
  const paths: string[] = [];
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    const params = new Map(
      entry
        .slice(colon + 1)
        .split(',')
        .map((kv) => {
          const eq = kv.indexOf('=');
          return [kv.slice(0, eq), decodeURIComponent(kv.slice(eq + 1))] as const;
        }),
    );
    if (params.get('path')) paths.push(params.get('path')!);
    else if (params.get('abstract')) paths.push(`\0${params.get('abstract')}`);
  }
  return paths;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

export class DbusConnection {
  private serial = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (m: DbusMessage) => void; reject: (e: Error) => void }>();
  private closedError: Error | undefined;
  /** Incoming method calls; a test's stand-in service reads them and may choose never to answer. */
  onMethodCall: ((message: DbusMessage) => void) | undefined;

  private constructor(private readonly socket: Socket) {}

  static async open(address: string, signal?: AbortSignal): Promise<DbusConnection> {
    const paths = socketPathsOf(address);
    if (paths.length === 0) throw new Error('the D-Bus address has no unix socket Keyturn can use');
    let lastError: Error = new Error('no D-Bus socket answered');
    for (const path of paths) {
      try {
        return await DbusConnection.openPath(path, signal);
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        lastError = error instanceof Error ? error : new Error(String(error));
      }
    }
    throw lastError;
  }

  private static async openPath(path: string, signal?: AbortSignal): Promise<DbusConnection> {
    const socket = connect({ path });
    const onAbort = (): void => {
      socket.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
        socket.once('close', () => reject(signal?.aborted ? abortError(signal) : new Error('D-Bus socket closed')));
      });
      await authenticate(socket, signal);
      const conn = new DbusConnection(socket);
      conn.listen();
      await conn.call(
        { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' },
        signal,
      );
      return conn;
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private listen(): void {
    this.socket.on('data', (data: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      try {
        for (let next = decodeMessage(this.buffer); next; next = decodeMessage(this.buffer)) {
          this.buffer = this.buffer.subarray(next.length);
          this.dispatch(next.message);
        }
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('D-Bus connection closed')));
  }

  private dispatch(message: DbusMessage): void {
    if (message.type === MESSAGE_TYPE.methodCall) {
      this.onMethodCall?.(message);
      return;
    }
    if (message.replySerial === undefined) return;
    const waiter = this.pending.get(message.replySerial);
    if (!waiter) return;
    this.pending.delete(message.replySerial);
    if (message.type === MESSAGE_TYPE.error) {
      const text = typeof message.body[0] === 'string' ? message.body[0] : (message.errorName ?? 'D-Bus error');
      waiter.reject(new DbusCallError(message.errorName ?? 'org.freedesktop.DBus.Error.Failed', text));
    } else {
      waiter.resolve(message);
    }
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.socket.destroy();
  }

  async call(call: MethodCall, signal?: AbortSignal): Promise<DbusValue[]> {
    if (this.closedError) throw this.closedError;
    if (signal?.aborted) throw abortError(signal);
    this.serial += 1;
    const serial = this.serial;
    const message: DbusMessage = {
      type: MESSAGE_TYPE.methodCall,
      flags: 0,
      serial,
      destination: call.destination,
      path: call.path,
      interface: call.interface,
      member: call.member,
      body: call.body ?? [],
      ...(call.signature ? { signature: call.signature } : {}),
    };
    const reply = await new Promise<DbusMessage>((resolve, reject) => {
      const onAbort = (): void => {
        this.pending.delete(serial);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(serial, {
        resolve: (m) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(m);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      this.socket.write(encodeMessage(message));
    });
    return reply.body;
  }

  /** Answer an incoming method call (used by test stand-ins that own a bus name). */
  reply(to: DbusMessage, signature: string, body: DbusValue[]): void {
    this.serial += 1;
    const message: DbusMessage = {
      type: MESSAGE_TYPE.methodReturn,
      flags: 1,
      serial: this.serial,
      replySerial: to.serial,
      body,
      ...(to.sender ? { destination: to.sender } : {}),
      ...(signature ? { signature } : {}),
    };
    this.socket.write(encodeMessage(message));
  }

  close(): void {
    this.fail(new Error('D-Bus connection closed by Keyturn'));
  }
}

async function authenticate(socket: Socket, signal?: AbortSignal): Promise<void> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const hexUid = Buffer.from(String(uid), 'ascii').toString('hex');
  socket.write(`\0AUTH EXTERNAL ${hexUid}\r\n`);
  const line = await readLine(socket, signal);
  if (!line.startsWith('OK ')) throw new Error('the D-Bus daemon refused EXTERNAL authentication');
  socket.write('BEGIN\r\n');
}

function readLine(socket: Socket, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onData = (data: Buffer): void => {
      text += data.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        cleanup();
        if (end + 2 < text.length) socket.unshift(Buffer.from(text.slice(end + 2), 'latin1'));
        resolve(text.slice(0, end));
      }
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('D-Bus socket closed during authentication'));
    };
    const onAbort = (): void => {
      cleanup();
      reject(abortError(signal!));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
