// The factory picks the adapter by kind, and neither cloud SDK is loaded by a process that never makes a cloud call
// (the CLI's other commands stay fast); module hooks in a child process record what it loads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const REPO = resolve(import.meta.dirname, '..', '..', '..');

function loadedBy(script: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-lazy-'));
  try {
    const log = join(dir, 'modules.log');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        join(REPO, 'test/support/module-log.mjs'),
        '--import',
        'tsx',
        '--import',
        join(REPO, 'test/support/loopback-guard.mjs'),
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: REPO, env: { PATH: process.env.PATH, HOME: dir, KEYTURN_TEST_MODULE_LOG: log, KEYTURN_OFFLINE: '1' }, encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    try {
      return [...new Set(readFileSync(log, 'utf8').trim().split('\n'))].sort();
    } catch {
      return [];
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PRELUDE = `
const { createTargetFactory } = await import('./electron/node/cloud/create-target.ts');
const { createOfflineSwitch } = await import('./electron/node/cloud/offline-switch.ts');
const factory = createTargetFactory({ offline: createOfflineSwitch('/nonexistent') });
const aws = factory({ kind: 'aws', name: 'a', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' });
const azure = factory({ kind: 'azure', name: 'z', vaultUrl: 'https://127.0.0.1:9', credential: 'environment', challengeResourceCheck: true });
if (aws.kind !== 'aws' || azure.kind !== 'azure') throw new Error('wrong adapter');
`;

test('building targets loads no cloud SDK; offline calls load none either', () => {
  assert.deepEqual(loadedBy(`${PRELUDE} await aws.read('x').catch(() => {}); await azure.test().catch(() => {});`), []);
});

test('a call that goes out loads only its own SDK', () => {
  const script = `${PRELUDE.replace("createOfflineSwitch('/nonexistent')", '{ isOffline: async () => false, reason: async () => undefined }')}
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    await aws.read('x', { signal: AbortSignal.abort() }).catch(() => {});`;
  assert.deepEqual(loadedBy(script), ['@aws-sdk/client-secrets-manager']);
});
