import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { compose } from '../node/compose.js';
import { rootPathGuard } from '../node/files/path-guard.js';
import { createHandlers } from '../node/ipc-handlers/handlers.js';
import { CONTENT_SECURITY_POLICY } from '../node/renderer-host/security-headers.js';
import { startWebHost, type WebHost } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'keyturn-webhost-'));
const rendererDir = join(dir, 'renderer');
let host: WebHost;

before(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'outside.txt'), 'outside the renderer');
  // Real services on a throwaway home; these tests call only channels that never reach the keychain.
  const handlers = createHandlers({
    services: compose({ config: { home: join(dir, 'home') } }),
    host: { kind: 'web', paths: rootPathGuard(dir) },
  });
  host = await startWebHost({ handlers, rendererDir });
});

after(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: `127.0.0.1:${host.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const ipc = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  send({
    method: 'POST',
    path: `/ipc/${channel}`,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}`, ...headers },
    body: JSON.stringify(body),
  });

test('listens on 127.0.0.1 with a 256-bit token in the URL fragment', () => {
  assert.match(host.url, new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#token=[A-Za-z0-9_-]{43}$`));
  assert.equal(Buffer.from(host.token, 'base64url').length, 32);
});

test('serves the renderer with the CSP and hardening headers, and nothing outside it', async () => {
  for (const path of ['/', '/index.html', '/assets/app.js']) {
    const reply = await send({ path });
    assert.equal(reply.status, 200, path);
    assert.equal(reply.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.equal(reply.headers['x-frame-options'], 'DENY');
  }
  assert.equal((await send({ path: '/assets/app.js' })).headers['content-type'], 'text/javascript; charset=utf-8');
  for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/missing.js']) {
    const reply = await send({ path });
    assert.equal(reply.status, 404, path);
    assert.ok(!reply.body.includes('outside the renderer'));
  }
  assert.equal((await send({ method: 'DELETE', path: '/' })).status, 405);
});

test('IPC needs the bearer token (401), the exact Host and a same Origin (403)', async () => {
  const plain = { 'Content-Type': 'application/json' };
  assert.equal((await send({ method: 'POST', path: '/ipc/appInfo', headers: plain, body: '{}' })).status, 401);
  assert.equal(
    (await send({ method: 'POST', path: '/ipc/appInfo', headers: { ...plain, Authorization: 'Bearer nope' }, body: '{}' })).status,
    401,
  );
  assert.equal((await send({ method: 'POST', path: '/ipc/nothing-here', headers: plain, body: '{}' })).status, 401);
  assert.equal((await ipc('appInfo', {}, { Origin: 'http://evil.example' })).status, 403);
  assert.equal((await ipc('appInfo', {}, { Host: `localhost:${host.port}` })).status, 403);
  assert.equal((await send({ path: '/', headers: { Host: 'attacker.example' } })).status, 403);
  const same = await ipc('appInfo', {}, { Origin: `http://127.0.0.1:${host.port}` });
  assert.equal(same.status, 200);
  assert.deepEqual(JSON.parse(same.body).value.host, 'web');
  assert.equal(same.headers['cache-control'], 'no-store');
});

test('IPC refuses the wrong method, content type, malformed JSON and oversized bodies', async () => {
  const auth = { Authorization: `Bearer ${host.token}` };
  assert.equal((await send({ method: 'GET', path: '/ipc/appInfo', headers: auth })).status, 405);
  assert.equal(
    (await send({ method: 'POST', path: '/ipc/appInfo', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' })).status,
    415,
  );
  const broken = await send({
    method: 'POST',
    path: '/ipc/appInfo',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: '{"a":',
  });
  assert.equal(broken.status, 400);
  assert.equal(JSON.parse(broken.body).error.code, 'invalid-input');
  const huge = await send({
    method: 'POST',
    path: '/ipc/appInfo',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: Buffer.alloc(2 * 1024 * 1024, 0x20),
  });
  assert.equal(huge.status, 413);
  assert.equal(JSON.parse(huge.body).error.code, 'invalid-input');
});

test('payloads are parsed with the channel schema and errors come back as values with a code', async () => {
  const bad = JSON.parse((await ipc('generateKey', { kind: 'rsa-9000' })).body);
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'invalid-input');
  assert.match(bad.error.message, /kind/);
  const unknown = JSON.parse((await ipc('doesNotExist', {})).body);
  assert.deepEqual([unknown.ok, unknown.error.code], [false, 'invalid-input']);
  const weak = JSON.parse((await ipc('generateKey', { kind: 'jwt-hmac', alg: 'HS512', bytes: 32 })).body);
  assert.deepEqual([weak.ok, weak.error.code], [false, 'weak-parameter']);
  const missing = JSON.parse((await ipc('exportDraft', { draftId: 'A'.repeat(24), format: 'env' })).body);
  assert.deepEqual([missing.ok, missing.error.code], [false, 'not-found']);
});

test('a generated key stays in the host: metadata crosses, the value only on export or copy', async () => {
  const made = JSON.parse((await ipc('generateKey', { kind: 'fernet' })).body);
  assert.equal(made.ok, true);
  const draft = made.value;
  assert.equal(draft.metadata.kind, 'fernet');
  assert.equal(draft.metadata.size, 256);
  assert.ok(!('secret' in draft.metadata));
  assert.ok(draft.formats.includes('env'));
  assert.ok(!draft.formats.includes('pem'), 'formats that do not fit a Fernet key are not offered');
  const copied = JSON.parse((await ipc('copyDraft', { draftId: draft.draftId })).body).value;
  assert.equal(copied.via, 'renderer');
  assert.equal(copied.clearAfterMs, 30_000);
  assert.match(copied.value, /^[A-Za-z0-9_-]{43}=$/);
  assert.ok(!JSON.stringify(made).includes(copied.value), 'the generate reply does not carry the value');
  const exported = JSON.parse((await ipc('exportDraft', { draftId: draft.draftId, format: 'env', envVar: 'PII_ENC_KEY' })).body).value;
  assert.equal(exported.secret, true);
  assert.equal(exported.text.trim(), `PII_ENC_KEY=${copied.value}`);
  assert.deepEqual(JSON.parse((await ipc('discardDraft', { draftId: draft.draftId })).body).value, { discarded: true });
  assert.equal(JSON.parse((await ipc('copyDraft', { draftId: draft.draftId })).body).error.code, 'not-found');
});

test('an asymmetric JWKS export is marked public and holds no private member', async () => {
  const draft = JSON.parse((await ipc('generateKey', { kind: 'jwt-ed25519' })).body).value;
  const jwks = JSON.parse((await ipc('exportDraft', { draftId: draft.draftId, format: 'jwks' })).body).value;
  assert.equal(jwks.secret, false);
  assert.ok(!('d' in JSON.parse(jwks.text).keys[0]));
  const jwk = JSON.parse((await ipc('exportDraft', { draftId: draft.draftId, format: 'jwk' })).body).value;
  assert.equal(jwk.secret, true);
});

test('delete insists on the typed name and the web host has no file dialog', async () => {
  const refused = JSON.parse((await ipc('deleteKey', { name: 'some-key', confirmName: 'some-kee' })).body);
  assert.deepEqual([refused.ok, refused.error.code], [false, 'refused']);
  const dialog = JSON.parse((await ipc('pickPaths', { mode: 'files' })).body);
  assert.deepEqual([dialog.ok, dialog.error.code], [false, 'refused']);
  assert.deepEqual(JSON.parse((await ipc('listKeys', {})).body), { ok: true, value: [] });
});
