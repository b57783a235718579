// `keyturn serve`: a loopback HTTP server that serves the built renderer and runs the IPC handlers at POST /ipc/<channel>.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyturnError } from '../../shared/domain/errors.js';
import { fail } from '../../shared/ipc/result.js';
import type { HandlerTable } from '../node/ipc-handlers/handlers.js';
import { invokeChannel, logUnexpected } from '../node/ipc-handlers/invoke.js';
import { SECURITY_HEADERS } from '../node/renderer-host/security-headers.js';
import { findStaticFile, mimeTypeFor } from '../node/renderer-host/static-files.js';
import { checkHost, checkOrigin, checkToken, newSessionToken } from './request-guard.js';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * What one client may hold: a request (headers and body) must arrive within `requestTimeoutMs`, or it gets 408 and
 * its connection is closed; at most `maxConnections` are open at once (a browser uses six per host). A handler's own
 * wait (a keychain unlock prompt) starts after the body is in, on the response side, where closing the tab cancels it.
 */
export interface WebHostLimits {
  requestTimeoutMs: number;
  maxConnections: number;
}

export const DEFAULT_LIMITS: WebHostLimits = { requestTimeoutMs: 15_000, maxConnections: 32 };

export interface WebHostOptions {
  handlers: HandlerTable;
  rendererDir: string;
  /** 0 or undefined: a random free port. */
  port?: number;
  token?: string;
  limits?: Partial<WebHostLimits>;
}

export interface WebHost {
  port: number;
  token: string;
  /** The one URL to open: the token travels in the fragment, which browsers never send to a server. */
  url: string;
  close(): Promise<void>;
}

/** Refusals end the connection: a client that was refused gets no kept-alive socket to try again on. */
const CLOSING_STATUSES = new Set([401, 403, 405]);

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    ...(CLOSING_STATUSES.has(status) ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

const JSON_TYPE = 'application/json; charset=utf-8';

class BodyTooLarge extends Error {}

/** The body as text; past 1 MB the rest is drained unread (so the client still gets a 413), past 16 MB the socket is cut. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES * 16) req.destroy();
      else if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

async function handleIpc(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: WebHostOptions,
  token: string,
): Promise<void> {
  // The token comes first, so nothing about the API (not even which channels exist) answers without it.
  const auth = checkToken(req.headers.authorization, token);
  if (!auth.ok) {
    send(res, auth.status, `Refused: ${auth.reason}. Open the URL that keyturn serve printed.\n`);
    return;
  }
  const channel = /^\/ipc\/([A-Za-z]{1,64})$/.exec(pathname)?.[1];
  if (!channel) {
    send(res, 404, 'Unknown channel.\n');
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    send(res, 405, 'Use POST for /ipc requests.\n');
    return;
  }
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
    send(res, 415, 'Send the request as application/json.\n');
    return;
  }
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) return; // timed out (408 sent by Node) or the client left
    send(
      res,
      413,
      JSON.stringify(fail(new KeyturnError('invalid-input', 'The request is larger than 1 MB; send less at once.'))),
      JSON_TYPE,
    );
    return;
  }
  let payload: unknown;
  try {
    payload = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    // Not `req.destroyed`: a request whose body was read to the end reads as destroyed too, and must still be answered.
    send(res, 400, JSON.stringify(fail(new KeyturnError('invalid-input', 'The request body is not valid JSON.'))), JSON_TYPE);
    return;
  }
  // The client going away (tab closed) cancels a keychain call that waits for an unlock.
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const result = await invokeChannel(options.handlers, channel, payload, { signal: abort.signal, onUnexpected: logUnexpected });
  send(res, 200, JSON.stringify(result), JSON_TYPE);
}

async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string, rendererDir: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'Method not allowed.\n');
    return;
  }
  const file = await findStaticFile(rendererDir, pathname);
  if (!file) {
    send(res, 404, 'Not found.\n');
    return;
  }
  // Hashed asset names change with every build; the page itself is always re-fetched.
  const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file), 'Cache-Control': cache });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newSessionToken();
  const limits: WebHostLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let port = 0;
  const serverOptions = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(10_000, limits.requestTimeoutMs),
    // Node checks the two timeouts on this interval (30 s by default, which would let a slow body live 45 s).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.requestTimeoutMs / 4))),
  };
  const server: Server = createServer(serverOptions, (req, res) => {
    const host = checkHost(req.headers.host, port);
    const origin = host.ok ? checkOrigin(req.headers.origin, port) : host;
    if (!origin.ok) {
      send(res, origin.status, `Refused: ${origin.reason}.\n`);
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    } catch {
      send(res, 400, 'Bad request.\n');
      return;
    }
    const work =
      pathname === '/ipc' || pathname.startsWith('/ipc/')
        ? handleIpc(req, res, pathname, options, token)
        : handleStatic(req, res, pathname, options.rendererDir);
    work.catch((error: unknown) => {
      logUnexpected(pathname, error);
      if (!res.headersSent) send(res, 500, 'Keyturn hit an unexpected error.\n');
      else res.destroy();
    });
  });
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new KeyturnError(
            'io',
            `Port ${options.port} on 127.0.0.1 is already in use: pick another with --port or leave it out for a free one.`,
          ),
        );
      else
        reject(
          new KeyturnError(
            'io',
            `Keyturn could not listen on 127.0.0.1 (${error.code ?? 'error'}); check that loopback networking is available.`,
          ),
        );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
