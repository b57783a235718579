// Proof that a test sends nothing beyond 127.0.0.1: every TCP/TLS connect in this process (the SDKs', fetch's, ours)
// passes through net.Socket#connect, which this wraps. A connect to any other host is refused before a packet leaves
// and recorded; tests assert the record is empty. Loaded with `--import` in CLI children (KEYTURN_TEST_NET_LOG names
// the file it appends to) and imported by in-process tests.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Hosts this process tried to reach beyond loopback. */
export const blockedConnects: string[] = [];

type ConnectArgs = Parameters<net.Socket['connect']>;

function hostOf(args: unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    if (options.path !== undefined) return undefined; // a unix socket (D-Bus): local by nature
    return options.host ?? 'localhost';
  }
  if (typeof first === 'string' && !/^[0-9]+$/.test(first)) return undefined; // connect(path)
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

const marker = Symbol.for('keyturn.loopbackGuard');
const proto = net.Socket.prototype as net.Socket & { [marker]?: boolean };
if (!proto[marker]) {
  proto[marker] = true;
  const original = proto.connect;
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.has(host) && !host.startsWith('127.')) {
      blockedConnects.push(host);
      if (process.env.KEYTURN_TEST_NET_LOG) appendFileSync(process.env.KEYTURN_TEST_NET_LOG, `${host}\n`);
      process.nextTick(() =>
        this.destroy(Object.assign(new Error(`loopback guard: connect to ${host} refused`), { code: 'ECONNREFUSED' })),
      );
      return this;
    }
    return original.apply(this, args as unknown as ConnectArgs);
  } as typeof proto.connect;
}
