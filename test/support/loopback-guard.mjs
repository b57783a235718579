// Proof that a test sends nothing beyond 127.0.0.1: every TCP/TLS connect in this process (the SDKs', fetch's, ours)
// passes through net.Socket#connect, which this wraps. A connect to any other host is refused before a packet leaves
// and recorded; tests assert the record is empty. Plain JavaScript so a CLI child can load it from NODE_OPTIONS
// (--import=.../loopback-guard.mjs) before any loader; KEYTURN_TEST_NET_LOG names the file a child appends to.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const STATE = Symbol.for('keyturn.loopbackGuard');

function hostOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    if (first.path !== undefined) return undefined; // a unix socket (D-Bus): local by nature
    return first.host ?? 'localhost';
  }
  if (typeof first === 'string' && !/^[0-9]+$/.test(first)) return undefined; // connect(path)
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

if (!globalThis[STATE]) {
  globalThis[STATE] = { blocked: [] };
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.has(host) && !host.startsWith('127.')) {
      globalThis[STATE].blocked.push(host);
      if (process.env.KEYTURN_TEST_NET_LOG) appendFileSync(process.env.KEYTURN_TEST_NET_LOG, `${host}\n`);
      process.nextTick(() =>
        this.destroy(Object.assign(new Error(`loopback guard: connect to ${host} refused`), { code: 'ECONNREFUSED' })),
      );
      return this;
    }
    return original.apply(this, args);
  };
}
