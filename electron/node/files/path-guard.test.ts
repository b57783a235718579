// Page-supplied paths are confined: under the web host's root, or under what the desktop user picked; symlinks and
// `..` cannot lead out, and a file about to be created is judged by its folder.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dialogPathGuard, rootPathGuard } from './path-guard.js';

let base: string;
let root: string;
let outside: string;

before(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'keyturn-guard-')));
  root = join(base, 'project');
  outside = join(base, 'secret');
  await mkdir(join(root, 'api'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(root, 'api', '.env'), 'A=1\n');
  await writeFile(join(outside, 'id_ed25519'), 'private');
  await symlink(join(outside, 'id_ed25519'), join(root, 'api', 'linked.env'));
  await symlink(outside, join(root, 'escape'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

test('the web host allows paths under its root, relative ones included, and refuses the rest with a sentence', async () => {
  const guard = rootPathGuard(root);
  assert.equal(await guard.confine(join(root, 'api', '.env')), join(root, 'api', '.env'));
  assert.equal(await guard.confine('api/.env'), join(root, 'api', '.env'));
  assert.equal(await guard.confine('api/new.env'), join(root, 'api', 'new.env'));
  for (const bad of [join(outside, 'id_ed25519'), '../secret/id_ed25519', 'api/linked.env', 'escape/id_ed25519', '/etc/passwd', 'a\0b']) {
    await assert.rejects(guard.confine(bad), { code: 'forbidden' }, bad);
  }
  await assert.rejects(guard.confine('/etc/passwd'), { message: new RegExp(`only reads and writes files under ${root}`) });
});

test('the desktop allows only what the dialog returned this session, and what lies under it', async () => {
  const guard = dialogPathGuard();
  await assert.rejects(guard.confine(join(root, 'api', '.env')), { code: 'forbidden', message: /file dialog/ });
  await guard.grant([join(root, 'api')]);
  assert.equal(await guard.confine(join(root, 'api', '.env')), join(root, 'api', '.env'));
  await assert.rejects(guard.confine(join(root, 'api', 'linked.env')), { code: 'forbidden' });
  await assert.rejects(guard.confine(join(root, 'other.env')), { code: 'forbidden' });
  await assert.rejects(guard.confine('api/.env'), { code: 'forbidden', message: /relative paths/ });
  await guard.grant([join(outside, 'id_ed25519')]);
  assert.equal(await guard.confine(join(outside, 'id_ed25519')), join(outside, 'id_ed25519'));
});
