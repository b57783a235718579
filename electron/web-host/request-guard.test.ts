import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHost, checkOrigin, checkToken, newSessionToken } from './request-guard.js';

test('session tokens carry 256 random bits', () => {
  const tokens = new Set(Array.from({ length: 100 }, newSessionToken));
  assert.equal(tokens.size, 100);
  for (const t of tokens) assert.equal(Buffer.from(t, 'base64url').length, 32);
});

test('Host must be exactly 127.0.0.1 on our port (DNS rebinding sends the attacker name)', () => {
  assert.deepEqual(checkHost('127.0.0.1:4000', 4000), { ok: true });
  assert.deepEqual(checkHost('127.0.0.1', 80), { ok: true }, 'the default port is left out by browsers');
  assert.equal(checkHost('127.0.0.1', 4000).ok, false);
  for (const host of [
    undefined,
    '',
    'localhost:4000',
    '127.0.0.1:4001',
    '127.0.0.1',
    'evil.example:4000',
    '127.0.0.1:4000.evil.example',
    '[::1]:4000',
  ]) {
    const verdict = checkHost(host, 4000);
    assert.equal(verdict.ok, false, String(host));
    if (!verdict.ok) assert.equal(verdict.status, 403);
  }
});

test('Origin, when sent, must be this server', () => {
  assert.deepEqual(checkOrigin(undefined, 4000), { ok: true });
  assert.deepEqual(checkOrigin('http://127.0.0.1:4000', 4000), { ok: true });
  assert.deepEqual(checkOrigin('http://127.0.0.1', 80), { ok: true });
  assert.equal(checkOrigin('http://127.0.0.1', 4000).ok, false);
  for (const origin of ['null', 'http://localhost:4000', 'https://127.0.0.1:4000', 'http://127.0.0.1:4001', 'http://evil.example']) {
    const verdict = checkOrigin(origin, 4000);
    assert.equal(verdict.ok, false, origin);
    if (!verdict.ok) assert.equal(verdict.status, 403);
  }
});

test('the bearer token must match exactly', () => {
  const token = newSessionToken();
  assert.deepEqual(checkToken(`Bearer ${token}`, token), { ok: true });
  for (const header of [
    undefined,
    '',
    token,
    `bearer ${token}`,
    `Bearer ${token}x`,
    `Bearer ${token.slice(1)}`,
    `Bearer ${newSessionToken()}`,
    `Basic ${token}`,
    `Bearer  ${token}`,
  ]) {
    const verdict = checkToken(header, token);
    assert.equal(verdict.ok, false, String(header));
    if (!verdict.ok) assert.equal(verdict.status, 401);
  }
});
