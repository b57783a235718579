// Which names findings may repeat: real variable names yes; lines of keys, tokens and hex secrets never.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseEnv } from '../formats/env-file.js';
import { checkEnvText } from './check-file.js';
import { listProfiles } from './profiles.js';
import { buildRuleSet } from './rule-set.js';
import { isShowableName, looksLikeKeyMaterial } from './shown-name.js';

const REAL_NAMES = [
  'AzureWebJobsStorage',
  'AzureWebJobsDashboard',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'NEXT_PUBLIC_SUPABASE_ANON_KEY',
  'OAUTH2_CLIENT_ID',
  'AWS_SECRET_ACCESS_KEY',
  'SHA256_SALT',
  'REDIS_DB0',
  'WEB3_PROVIDER_URL',
  'ConnectionStrings__DefaultConnection',
  'Logging__LogLevel__Default',
  'databaseUrl',
  'VITE_FIREBASE_MESSAGING_SENDER_ID',
  'APPINSIGHTS_INSTRUMENTATIONKEY',
  'S3_BUCKET_NAME_2024',
  'X509_CERT_PATH',
  'REACT_APP_API_BASE_URL_V2',
];

test('real variable names are shown; every profile variable too', () => {
  const names = [...REAL_NAMES, ...listProfiles().flatMap((p) => p.variables.map((v) => v.name))];
  for (const name of names) assert.equal(isShowableName(name), true, name);
});

test('lines of private keys, tokens and hex secrets are never shown as names', () => {
  const pems = [
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  ];
  const lines = pems.flatMap((p) => p.split('\n').filter((l) => l !== '' && !l.startsWith('-----')));
  for (let i = 0; i < 300; i += 1) {
    const bytes = randomBytes(24 + (i % 40));
    lines.push(bytes.toString('hex'), `sk_live_${bytes.toString('base64').replace(/[+/=]/g, '')}`, bytes.toString('base64url'));
  }
  for (const line of lines) {
    for (const entry of parseEnv(line).entries) {
      assert.ok(!isShowableName(entry.key) || entry.key.length < 16, `shown: ${entry.key.length} characters`);
    }
  }
  assert.equal(looksLikeKeyMaterial('MC4CAQAwBQYDK2VwBCIEIDclyLQHjwVmyZBlC2FacKI7i6Z6w6nMtA3swnOX1PGf'), true);
});

test('no finding repeats any 10-character piece of a line that is not a variable', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trimEnd();
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const stray = `sk_live_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x')}`;
  const short = `Summer${randomBytes(3).readUInt16BE(0)}`;
  for (const text of [`A=1\nJWT_KEY=${pem}\n${stray}\n${short}\nB=2\n`, rsa, `DEBUG=\n${rsa}`]) {
    const rules = buildRuleSet({ profile: listProfiles()[0]! }).rules;
    const { findings } = checkEnvText({ text, role: 'env', rules });
    const shown = JSON.stringify(findings);
    const strays = text.split('\n').filter((l) => l !== '' && !/^(?:A|B|DEBUG|JWT_KEY)=|^-----/.test(l));
    for (const line of strays) {
      for (let i = 0; i + 10 <= line.length; i += 1) assert.ok(!shown.includes(line.slice(i, i + 10)), `a piece of a stray line is shown`);
    }
    assert.ok(findings.some((f) => f.code === 'not-a-variable'));
  }
});
