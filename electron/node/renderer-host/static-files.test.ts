import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findStaticFile, mimeTypeFor, resolveStaticPath } from './static-files.js';

const base = mkdtempSync(join(tmpdir(), 'keyturn-static-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html>');
writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
writeFileSync(join(base, 'secret.txt'), 'outside');
symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
after(() => rmSync(base, { recursive: true, force: true }));

test('serves index.html for / and files under the root', async () => {
  assert.equal(await findStaticFile(root, '/'), join(root, 'index.html'));
  assert.equal(await findStaticFile(root, '/assets/app.js'), join(root, 'assets', 'app.js'));
  assert.equal(await findStaticFile(root, '/assets/missing.js'), undefined);
  assert.equal(await findStaticFile(root, '/assets'), undefined, 'a folder is not a file');
});

test('refuses every way out of the root', async () => {
  const attempts = [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%00index.html',
    '/index.html%00.js',
    '/C:/Windows/win.ini',
    '//etc/passwd',
    '/%E0%A4%A',
    'index.html',
  ];
  for (const path of attempts) {
    const resolved = resolveStaticPath(root, path);
    assert.ok(resolved === undefined || resolved.startsWith(root + '/'), `${path} resolved to ${resolved}`);
    const found = await findStaticFile(root, path);
    assert.ok(found === undefined || !found.endsWith('secret.txt'), `${path} reached ${found}`);
  }
  assert.equal(resolveStaticPath(root, '/../secret.txt'), undefined);
  assert.equal(await findStaticFile(root, '/assets/link.txt'), undefined, 'a symlink pointing outside is not served');
  assert.equal(resolveStaticPath(root, '//etc/passwd'), join(root, 'etc', 'passwd'), 'an empty segment stays inside the root');
});

test('content types are explicit (nosniff is sent with them)', () => {
  assert.equal(mimeTypeFor('/x/index.html'), 'text/html; charset=utf-8');
  assert.equal(mimeTypeFor('/x/a.JS'), 'text/javascript; charset=utf-8');
  assert.equal(mimeTypeFor('/x/a.css'), 'text/css; charset=utf-8');
  assert.equal(mimeTypeFor('/x/unknown.bin'), 'application/octet-stream');
});
