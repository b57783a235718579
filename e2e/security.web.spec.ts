// Web project: the web host's defences, seen from a real browser and from raw HTTP requests.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures/keyturn-test.js';

const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A raw request (paths are sent exactly as written, no client-side normalisation). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

test('the renderer has no Node, no window.open, and the CSP on every response', async ({ page, served, context }) => {
  const response = await page.goto(served.url);
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  expect(
    await page.evaluate(() => [
      typeof (window as unknown as { require?: unknown }).require,
      typeof (globalThis as { process?: unknown }).process,
    ]),
  ).toEqual(['undefined', 'undefined']);

  const pagesBefore = context.pages().length;
  const opened = await page.evaluate(() => window.open('https://example.com/') === null);
  expect(opened).toBe(true);
  expect(context.pages().length).toBe(pagesBefore);

  // An inline script is blocked by the CSP.
  const inlineRan = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 50));
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(inlineRan).toBe(false);

  // form-action 'none': a form, an injected one included, cannot submit anywhere (the target is this host: if the
  // policy failed, the request would still stay on 127.0.0.1).
  const blockedBy = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }),
    );
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/collect';
    const field = Object.assign(document.createElement('input'), { name: 'value', value: 'planted' });
    form.append(field);
    document.body.append(form);
    form.submit();
    return violation;
  });
  expect(blockedBy).toBe('form-action');
  expect(await page.evaluate(() => location.pathname)).toBe('/');

  for (const asset of await page.evaluate(() =>
    Array.from(document.querySelectorAll('script[src], link[rel=stylesheet]')).map((e) => e.getAttribute('src') ?? e.getAttribute('href')),
  )) {
    const r = await raw(served.port, { path: asset! });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  }
});

test('no IPC request succeeds without the session token', async ({ page, served }) => {
  const body = JSON.stringify({});
  const json = { 'Content-Type': 'application/json' };
  expect((await raw(served.port, { method: 'POST', path: '/ipc/listKeys', headers: json, body })).status).toBe(401);
  expect(
    (
      await raw(served.port, {
        method: 'POST',
        path: '/ipc/listKeys',
        headers: { ...json, Authorization: 'Bearer wrong-token-wrong-token' },
        body,
      })
    ).status,
  ).toBe(401);
  expect(
    (
      await raw(served.port, {
        method: 'POST',
        path: '/ipc/listKeys',
        headers: { ...json, Authorization: `Bearer ${served.token}x` },
        body,
      })
    ).status,
  ).toBe(401);
  expect((await raw(served.port, { method: 'GET', path: '/ipc/listKeys' })).status).toBe(401);
  expect((await raw(served.port, { method: 'POST', path: '/ipc/unknownChannel', headers: json, body })).status).toBe(401);
  const withToken = await raw(served.port, {
    method: 'POST',
    path: '/ipc/listKeys',
    headers: { ...json, Authorization: `Bearer ${served.token}` },
    body,
  });
  expect(withToken.status).toBe(200);
  expect(JSON.parse(withToken.body)).toMatchObject({ ok: true });

  // From the page itself, a fetch without the header is refused too.
  await page.goto(`${served.origin}/`);
  const status = await page.evaluate(
    async () => (await fetch('/ipc/listKeys', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
  );
  expect(status).toBe(401);
  // Without the token in the URL the UI says what to do instead of failing silently.
  await expect(page.getByRole('alert').first()).toContainText('keyturn serve printed');
});

test('foreign Origins and Host names are refused, even with the token', async ({ served }) => {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}` };
  const evil = await raw(served.port, {
    method: 'POST',
    path: '/ipc/listKeys',
    headers: { ...headers, Origin: 'http://evil.example' },
    body: '{}',
  });
  expect(evil.status).toBe(403);
  expect(
    (await raw(served.port, { method: 'POST', path: '/ipc/listKeys', headers: { ...headers, Origin: 'null' }, body: '{}' })).status,
  ).toBe(403);
  expect(
    (
      await raw(served.port, {
        method: 'POST',
        path: '/ipc/listKeys',
        headers: { ...headers, Host: `localhost:${served.port}` },
        body: '{}',
      })
    ).status,
  ).toBe(403);
  expect((await raw(served.port, { path: '/', headers: { Host: `rebind.example:${served.port}` } })).status).toBe(403);
});

test('a page on another origin cannot call the API, even knowing the token', async ({ page, served }) => {
  const attacker = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  const port = (attacker.address() as AddressInfo).port;
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    const outcome = await page.evaluate(
      async ({ target, token }) => {
        try {
          const r = await fetch(`${target}/ipc/listKeys`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: '{}',
          });
          return `status ${r.status}`;
        } catch {
          return 'blocked';
        }
      },
      { target: served.origin, token: served.token },
    );
    expect(outcome).toBe('blocked');
  } finally {
    attacker.close();
  }
});

test('static files come only from the built renderer', async ({ served }) => {
  for (const path of [
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/index.html%00',
  ]) {
    const r = await raw(served.port, { path });
    expect(r.status, path).toBe(404);
    expect(r.body).not.toContain('"name": "keyturn"');
  }
  expect((await raw(served.port, { method: 'POST', path: '/index.html' })).status).toBe(405);
});
