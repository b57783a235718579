import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNELS, isChannel } from './contract.js';
import { REQUEST_SCHEMAS, describeIssues } from './schemas.js';

test('every contract channel has a request schema and nothing else does', () => {
  assert.deepEqual(Object.keys(REQUEST_SCHEMAS).sort(), [...CHANNELS].sort());
  assert.equal(isChannel('listKeys'), true);
  assert.equal(isChannel('constructor'), false);
  assert.equal(isChannel('__proto__'), false);
});

test('well-formed requests parse', () => {
  const good: [keyof typeof REQUEST_SCHEMAS, unknown][] = [
    ['appInfo', {}],
    ['generateKey', { kind: 'jwt-rsa', alg: 'PS256', bits: 3072 }],
    ['generateKey', { kind: 'secret', bytes: 48 }],
    ['exportDraft', { draftId: 'abcdefghijklmnopqrstuvwx', format: 'jwks', envVar: 'JWT_KEYS' }],
    ['storeDraft', { draftId: 'abcdefghijklmnopqrstuvwx', name: 'pii-enc-key', envVar: 'PII_ENC_KEY', tags: ['prod'], addVersion: true }],
    ['revealKey', { name: 'PII_ENC_KEY', version: 2 }],
    ['deleteKey', { name: 'a', confirmName: 'a' }],
    ['auditList', {}],
    ['envCheck', { paths: ['/srv/app/.env'], profile: 'phase2' }],
    ['pickPaths', { mode: 'folder' }],
  ];
  for (const [channel, payload] of good) {
    const result = REQUEST_SCHEMAS[channel].safeParse(payload);
    assert.equal(result.success, true, `${channel} ${JSON.stringify(payload)}: ${result.success ? '' : describeIssues(result.error)}`);
  }
});

test('malformed requests are refused before any handler runs', () => {
  const bad: [keyof typeof REQUEST_SCHEMAS, unknown][] = [
    ['appInfo', { extra: 1 }],
    ['appInfo', null],
    ['generateKey', { kind: 'rsa' }],
    ['generateKey', { kind: 'secret', bytes: 1.5 }],
    ['generateKey', { kind: 'secret', bytes: '32' }],
    ['exportDraft', { draftId: '../../etc/passwd', format: 'env' }],
    ['exportDraft', { draftId: 'abcdefghijklmnopqrstuvwx', format: 'pfx' }],
    ['storeDraft', { draftId: 'abcdefghijklmnopqrstuvwx', name: '-leading-dash' }],
    ['storeDraft', { draftId: 'abcdefghijklmnopqrstuvwx', name: 'ok', envVar: '1BAD' }],
    ['revealKey', { name: 'x', version: 0 }],
    ['revealKey', { name: 'has space' }],
    ['deleteKey', { name: 'x' }],
    ['auditList', { limit: 0 }],
    ['envCheck', { paths: [] }],
    ['envCheck', { paths: ['a\0b'] }],
    ['pickPaths', { mode: 'anything' }],
  ];
  for (const [channel, payload] of bad) {
    assert.equal(REQUEST_SCHEMAS[channel].safeParse(payload).success, false, `${channel} should refuse ${JSON.stringify(payload)}`);
  }
});

test('schema error sentences name the field but never echo the submitted value', () => {
  const secretish = 'gAAAAABk-not-a-name with spaces';
  const result = REQUEST_SCHEMAS.storeDraft.safeParse({ draftId: 'abcdefghijklmnopqrstuvwx', name: secretish });
  assert.equal(result.success, false);
  if (!result.success) {
    const text = describeIssues(result.error);
    assert.match(text, /^name: /);
    assert.ok(!text.includes(secretish));
  }
});
