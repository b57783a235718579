// Issue 9, item 7: the web host's connection limits, over raw sockets. A slow body is cut with 408, refusals close
// their connection, connections are capped, and a handler's long wait (a keychain prompt) is not cut by the request
// timeout but is cancelled when the client goes away.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KeyturnError } from '../../shared/domain/errors.js';
import { compose } from '../node/compose.js';
import { rootPathGuard } from '../node/files/path-guard.js';
import { createHandlers } from '../node/ipc-handlers/handlers.js';
import { createTerminalCodeGate } from '../node/release-gate/terminal-code-gate.js';
import { startWebHost, type WebHost } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-limits-'));
const REQUEST_TIMEOUT_MS = 400;
const MAX_CONNECTIONS = 4;
let host: WebHost;

/** The stand-in for a keychain call waiting on an unlock prompt: it ends when released, or when its request is aborted. */
const waits: { started: number; aborted: number; release: (() => void)[]; onStart: (() => void)[] } = {
  started: 0,
  aborted: 0,
  release: [],
  onStart: [],
};

before(async () => {
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  const handlers = createHandlers({
    services: compose({ config: { home: join(dir, 'home') } }),
    host: { kind: 'web', paths: rootPathGuard(dir), release: createTerminalCodeGate({ announce: () => undefined }) },
  });
  handlers.keychainStatus = (_req, signal) =>
    new Promise((resolve, reject) => {
      waits.started += 1;
      waits.onStart.shift()?.();
      waits.release.push(() => resolve({ state: 'ok', backend: 'test', message: 'unlocked' }));
      signal?.addEventListener('abort', () => {
        waits.aborted += 1;
        reject(new KeyturnError('cancelled', 'The client went away.'));
      });
    });
  host = await startWebHost({
    handlers,
    rendererDir: join(dir, 'renderer'),
    limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS },
  });
});

after(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Raw {
  socket: Socket;
  /** Everything received so far. */
  text(): string;
  /** Resolves with everything received once the server closed the connection (fails after 5 s). */
  closed: Promise<string>;
}

function open(): Promise<Raw> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(host.port, '127.0.0.1');
    const closed = new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`still open after 5 s; received: ${received.slice(0, 80)}`)), 5_000);
      socket.on('close', () => {
        clearTimeout(timer);
        done(received);
      });
    });
    closed.catch(() => undefined);
    socket.on('data', (d: Buffer) => (received += d.toString()));
    socket.on('error', () => undefined); // a reset is one way of being closed
    socket.once('connect', () => resolve({ socket, text: () => received, closed }));
    socket.once('error', reject);
  });
}

function head(method: string, path: string, headers: Record<string, string> = {}): string {
  const all = { Host: `127.0.0.1:${host.port}`, Connection: 'keep-alive', ...headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

const auth = { Authorization: '', 'Content-Type': 'application/json' };

test('a body that does not arrive in time gets 408 and the connection closes, with or without the token', async () => {
  for (const authorization of [`Bearer ${host.token}`, undefined]) {
    const raw = await open();
    raw.socket.write(
      head('POST', '/ipc/listKeys', { ...auth, ...(authorization ? { Authorization: authorization } : {}), 'Content-Length': '100' }),
    );
    raw.socket.write('{"x":');
    const answer = await raw.closed;
    // Without the token the 401 comes first (and closes); with it, the slow body is cut by the timeout.
    assert.match(answer, authorization ? /^HTTP\/1\.1 408 / : /^HTTP\/1\.1 401 /);
  }
});

test('401, 403 and 405 close their connection; an accepted request keeps it', async () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [head('POST', '/ipc/listKeys', { ...auth, 'Content-Length': '2' }) + '{}', {}, /^HTTP\/1\.1 401 /],
    [head('GET', '/', { Host: 'rebind.example' }), {}, /^HTTP\/1\.1 403 /],
    [head('DELETE', '/'), {}, /^HTTP\/1\.1 405 /],
  ];
  for (const [request, , status] of cases) {
    const raw = await open();
    raw.socket.write(request);
    const answer = await raw.closed;
    assert.match(answer, status);
    assert.match(answer, /\r\nConnection: close\r\n/i);
  }
  const kept = await open();
  kept.socket.write(head('GET', '/'));
  kept.socket.write(head('GET', '/'));
  await new Promise<void>((resolve) => {
    const check = () => (kept.text().match(/HTTP\/1\.1 200 /g)?.length === 2 ? resolve() : kept.socket.once('data', check));
    check();
  });
  assert.equal(kept.socket.destroyed, false, 'two requests answered on one kept-alive connection');
  kept.socket.destroy();
});

test('connections are capped; a long wait in a handler outlives the request timeout and ends when the client leaves', async () => {
  const ipc = head('POST', '/ipc/keychainStatus', { ...auth, Authorization: `Bearer ${host.token}`, 'Content-Length': '2' }) + '{}';
  const busy: Raw[] = [];
  for (let i = 0; i < MAX_CONNECTIONS; i += 1) {
    const raw = await open();
    const started = new Promise<void>((resolve) => waits.onStart.push(resolve));
    raw.socket.write(ipc);
    await started; // the handler runs: the request was accepted on this connection
    busy.push(raw);
  }
  const extra = await open();
  assert.equal(await extra.closed, '', 'the connection over the cap is closed without an answer');

  // Past the request timeout (several checks of it), the waiting handlers still hold their connections. Nothing
  // happening cannot be awaited, so this one wait is a fixed time.
  await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS * 3));
  assert.deepEqual([waits.started, waits.aborted], [MAX_CONNECTIONS, 0]);
  assert.ok(busy.every((raw) => !raw.socket.destroyed && raw.text() === ''));

  // The client that leaves cancels its wait; a released wait answers 200.
  busy[0]!.socket.destroy();
  await new Promise<void>((resolve) => {
    const poll = () => (waits.aborted === 1 ? resolve() : setImmediate(poll));
    poll();
  });
  waits.release[1]!();
  await new Promise<void>((resolve) => busy[1]!.socket.once('data', () => resolve()));
  assert.match(busy[1]!.text(), /^HTTP\/1\.1 200 [\s\S]*"state":"ok"/);
  for (const raw of busy) raw.socket.destroy();
});
