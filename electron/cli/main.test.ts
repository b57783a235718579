// The CLI exits only after its output has left the process: more than 1 MB piped to a reader that starts late
// arrives whole, byte for byte (the first release cut it at 64 KiB).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../test/support/run-cli.js';

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyturn-pipe-'));
  // 1,500 files with a few findings each: well over 1 MB of JSON.
  for (let i = 0; i < 1500; i++) {
    const dir = join(root, `app${i % 50}`, `svc${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.env'), 'SECRET_KEY=changeme\nDEBUG=maybe\nPORT=eighty\n', { mode: 0o644 });
  }
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('more than 1 MB of JSON reaches a slow reader whole', async () => {
  const reference = await runCli(['env', 'check', '.', '--format', 'json'], { cwd: root, env: { KEYTURN_HOME: join(root, '.home') } });
  assert.equal(reference.code, 1, reference.stderr);
  assert.ok(reference.stdout.length > 1_000_000, `reference output is ${reference.stdout.length} bytes`);
  const slow = await runCli(['env', 'check', '.', '--format', 'json'], {
    cwd: root,
    env: { KEYTURN_HOME: join(root, '.home') },
    readAfterMs: 1500,
  });
  assert.equal(slow.code, 1, slow.stderr);
  assert.equal(Buffer.byteLength(slow.stdout), Buffer.byteLength(reference.stdout));
  assert.equal(slow.stdout, reference.stdout);
  assert.doesNotThrow(() => JSON.parse(slow.stdout));
});
