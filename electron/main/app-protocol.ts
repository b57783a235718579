// Serves the built renderer from app://keyturn/ (never file://) with the same CSP and headers as the web host.
import { readFileSync } from 'node:fs';
import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../node/renderer-host/security-headers.js';
import { findStaticFile, mimeTypeFor } from '../node/renderer-host/static-files.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

/** Must run before the app is ready: a standard, secure scheme gets a real origin, so 'self' in the CSP means it. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = await findStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    const body = readFileSync(file); // sync: see findStaticFile on asar
    return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file) } });
  });
}
