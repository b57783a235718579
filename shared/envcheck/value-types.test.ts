import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { placeholderReason, weakSecretReason } from './strength.js';
import type { RuleFields, VarType } from './types.js';
import { describeValue } from './value-mask.js';
import { checkValue, parseDuration } from './value-types.js';

const verdict = (type: VarType, value: string, fields: RuleFields = {}): string | null =>
  checkValue({ name: 'V', type, ...fields }, value)?.code ?? null;

test('url: allowed schemes, SQLite called out, hosts and ports checked, default passwords weak', () => {
  const pg = { schemes: ['postgresql', 'postgresql+asyncpg'] };
  assert.equal(verdict('url', 'postgresql+asyncpg://app:Xk29fj3kdmQp@db:5432/app', pg), null);
  assert.equal(verdict('url', 'postgresql://app:Xk29fj3kdmQp@db/app', pg), null);
  assert.equal(verdict('url', 'mysql://app:Xk29fj3kdmQp@db/app', pg), 'invalid-format');
  const sqlite = checkValue({ name: 'DATABASE_URL', type: 'url', ...pg, schemeNote: 'production needs PostgreSQL' }, 'sqlite:///./app.db');
  assert.equal(sqlite?.code, 'invalid-format');
  assert.match(sqlite!.message, /SQLite.*production needs PostgreSQL/);
  assert.equal(verdict('url', 'postgresql://user:pass@host:port/db', pg), 'invalid-format');
  assert.equal(verdict('url', 'no scheme here'), 'invalid-format');
  assert.equal(verdict('url', 'postgresql:///nohost'), 'invalid-format');
  assert.equal(verdict('url', 'sqlite:///./dev.db'), null);
  const weakPw = checkValue({ name: 'DATABASE_URL', type: 'url' }, 'postgresql://postgres:postgres@db/app');
  assert.deepEqual([weakPw?.code, weakPw?.severity], ['weak-value', 'warning']);
  assert.equal(verdict('url', 'redis://cache:6379/0', { schemes: ['redis', 'rediss'] }), null);
});

test('int, bool, enum, email, duration and pattern', () => {
  assert.equal(verdict('int', '42', { min: 1, max: 64 }), null);
  assert.equal(verdict('int', '0', { min: 1 }), 'invalid-format');
  assert.equal(verdict('int', '65', { max: 64 }), 'invalid-format');
  assert.equal(verdict('int', '4.5'), 'invalid-format');
  assert.equal(verdict('int', 'five'), 'invalid-format');
  for (const b of ['true', 'False', '0', '1', 'yes', 'off']) assert.equal(verdict('bool', b), null, b);
  assert.equal(verdict('bool', 'maybe'), 'invalid-format');
  assert.equal(verdict('enum', 'Production', { values: ['Development', 'Production'] }), null);
  const caseOnly = checkValue({ name: 'ENV', type: 'enum', values: ['Production'] }, 'production');
  assert.match(caseOnly!.message, /except for letter case/);
  assert.equal(verdict('email', 'ops@example.com'), null);
  for (const e of ['ops', 'ops@', '@example.com', 'ops@example', 'a b@example.com']) assert.equal(verdict('email', e), 'invalid-format', e);
  assert.deepEqual(['900', '15m', '1h30m', '250ms', 'PT15M', 'P1D', '2w'].map(parseDuration), [900, 900, 5400, 0.25, 900, 86400, 1209600]);
  assert.equal(parseDuration('15 minutes'), null);
  assert.equal(verdict('duration', '30s', { min: 60 }), 'invalid-format');
  assert.equal(verdict('string', 'eu-west-1', { pattern: '[a-z]{2}-[a-z]+-[0-9]' }), null);
  assert.equal(verdict('string', 'EU', { pattern: '[a-z]{2}-[a-z]+-[0-9]' }), 'invalid-format');
});

test('jwt-secret needs 32 bytes; secret needs its minimum length and entropy', () => {
  assert.equal(verdict('jwt-secret', 'a'.repeat(10) + randomBytes(16).toString('hex').slice(0, 21)), 'weak-value'); // 31 bytes
  assert.equal(verdict('jwt-secret', randomBytes(24).toString('base64url')), null); // 32 characters
  assert.equal(verdict('jwt-secret', randomBytes(64).toString('base64url'), { min: 64 }), null);
  assert.equal(verdict('jwt-secret', randomBytes(32).toString('base64url'), { min: 64 }), 'weak-value');
  assert.equal(verdict('secret', randomBytes(12).toString('base64url'), { min: 24 }), 'weak-value');
  assert.equal(verdict('secret', randomBytes(32).toString('base64url'), { min: 32 }), null);
  assert.equal(verdict('secret', 'production-secret-key'), 'weak-value');
});

test('no CSPRNG secret in the usual encodings is called weak (base64url, hex, base64)', () => {
  for (let i = 0; i < 300; i += 1) {
    for (const value of [randomBytes(32).toString('base64url'), randomBytes(32).toString('hex'), randomBytes(24).toString('base64')]) {
      assert.equal(weakSecretReason(value, 32), null, `flagged a random value of ${value.length} characters`);
      assert.equal(placeholderReason(value), null);
    }
  }
});

test('placeholders, defaults, patterns and word-like values are weak', () => {
  for (const p of [
    '<your-generated-fernet-key>',
    'your-32-char-secret-key',
    'your-production-jwt-secret-here',
    'CHANGE_ME',
    'replace-me',
    'xxxx',
    '{{ SECRET }}',
    '[INSERT KEY]',
    'todo',
  ]) {
    assert.notEqual(placeholderReason(p), null, p);
  }
  for (const w of [
    'changeme',
    'production-secret-key',
    'a'.repeat(40),
    'abcabcabcabcabcabcabcabcabcabcab',
    'mysupersecretvalueforproduction1',
    'qwertyuiopasdfghjklzxcvbnm123456',
    'aaaabbbbccccddddaaaabbbbccccdddd',
  ]) {
    assert.notEqual(weakSecretReason(w, 16), null, w);
  }
  // Ordinary configuration values are not placeholders.
  for (const v of ['production', 'eu-west-1', 'postgresql://db/app', '8000', 'info']) assert.equal(placeholderReason(v), null, v);
});

test('describeValue tells length and character classes only: values alike in both read the same', () => {
  assert.equal(describeValue('Zq9-_x'), '6 characters: upper-case, lower-case, digits, symbols');
  assert.equal(describeValue('é🔑'), '2 characters: non-ASCII');
  for (let i = 0; i < 50; i += 1) {
    const a = `Aa1-${randomBytes(20).toString('hex')}`;
    const b = `Bb2_${randomBytes(20).toString('hex')}`;
    assert.equal(describeValue(a), describeValue(b));
  }
});

test('a port or a size out of range is shown as it is; a number in a secret-looking variable, or any other value, is not', () => {
  const port = checkValue({ name: 'PORT', type: 'int', max: 65535 }, '70000');
  assert.equal(port?.message, 'PORT must be at most 65535 (value: 70000).');
  const ttl = checkValue({ name: 'TOKEN_TTL', type: 'duration', max: 3600 }, '2h');
  assert.equal(ttl?.message, 'TOKEN_TTL must be at most 3600 seconds (value: 2h).');
  const words = checkValue({ name: 'WORKERS', type: 'int' }, 'four workers please');
  assert.match(words!.message, /\(value: 19 characters: lower-case, whitespace\)\.$/, 'not a plain number: described only');
  const pin = checkValue({ name: 'ADMIN_PASSWORD', type: 'int', max: 10 }, '834912');
  assert.doesNotMatch(pin!.message, /834912/, 'a number in a secret-looking variable stays hidden');
  const marked = checkValue({ name: 'PIN', type: 'int', max: 10, secret: true }, '834912');
  assert.doesNotMatch(marked!.message, /834912/);
});
