// `keyturn escrow` as the README tells it, the real CLI in child processes, with networking off (a network namespace
// holding only loopback) and a real gnome-keyring: five custodians, one of them with an age key; any three verify and
// restore (text sheets, a QR scan, an age-encrypted share, stdin); Debian's age opens the bundle with the restored
// identity; a rekey voids the old set. Every output and KEYTURN_HOME are scanned for every value and every share.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EscrowCreateResult, EscrowRekeyResult } from '../../../shared/domain/escrow.js';
import { cliEntry, runCli, secretToolLookup, type CliRun } from '../../../test/support/run-cli.js';
import { filesHoldingSecrets, secretVariants } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');

/** Runs the CLI in a new network namespace: only a loopback device exists, so nothing can leave the machine. */
function runOffline(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliRun> {
  const started = Date.now();
  return new Promise((done, reject) => {
    const child = spawn('unshare', ['--net', process.execPath, ...cliEntry(), ...args], {
      cwd: REPO,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(input);
  });
}

function ageKeygen(path: string): string {
  execFileSync('age-keygen', ['-o', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  return /# public key: (age1[0-9a-z]+)/.exec(readFileSync(path, 'utf8'))![1]!;
}

describe('keyturn escrow, offline, three of five custodians', { timeout: 300_000 }, () => {
  let s: SecretServiceSession;
  let env: NodeJS.ProcessEnv;
  let created: EscrowCreateResult;
  const outputs: string[] = [];
  const values: string[] = [];
  /** Text sheets of plain shares (both sets), for the final scan. */
  const sheetTexts: string[] = [];
  const record = (run: CliRun): CliRun => {
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const cli = async (args: string[], input?: string) => record(await runCli(args, { env, ...(input !== undefined ? { input } : {}) }));
  const offline = async (args: string[], input?: string) => record(await runOffline(args, env, input));
  const sheet = (name: string) => created.sheets.find((x) => x.custodian === name)!;

  before(async () => {
    const probe = spawnSync('unshare', ['--net', 'cat', '/proc/net/dev'], { encoding: 'utf8' });
    if (probe.status !== 0)
      throw new Error(`these tests run the CLI with networking off through "unshare --net" (root or user namespaces): ${probe.stderr}`);
    // The namespace has a loopback device and nothing else.
    assert.deepEqual(
      probe.stdout
        .split('\n')
        .slice(2)
        .filter(Boolean)
        .map((l) => l.trim().split(':')[0]),
      ['lo'],
    );
    s = await startSecretService({ unlocked: true });
    env = { ...s.env, KEYTURN_KEYCHAIN_SERVICE: 'keyturn-escrow-cli' };
    for (const [name, kind] of [
      ['pii-enc-key', 'fernet'],
      ['signer', 'jwt-ed25519'],
    ]) {
      const run = await cli(['generate', kind!, '--name', name!, '--store']);
      assert.equal(run.code, 0, run.stderr);
      values.push((await secretToolLookup(env, 'keyturn-escrow-cli', `${name}@v1`)).value);
    }
  });
  after(async () => {
    await s?.stop();
  });

  test("create: sheets for five custodians, bob's share encrypted to his age key", async () => {
    const bob = ageKeygen(join(s.dir, 'bob.key'));
    const run = await offline([
      'escrow',
      'create',
      '--keys',
      'pii-enc-key,signer@v1',
      '--shares',
      '5',
      '--threshold',
      '3',
      ...['alice', `bob=${bob}`, 'carol', 'dave', 'erin'].flatMap((c) => ['--custodian', c]),
      '--out',
      join(s.dir, 'escrow'),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    created = JSON.parse(run.stdout) as EscrowCreateResult;
    assert.deepEqual(
      created.set.custodians.map((c) => [c.name, c.encrypted]),
      [
        ['alice', false],
        ['bob', true],
        ['carol', false],
        ['dave', false],
        ['erin', false],
      ],
    );
    assert.match(sheet('bob').shareFile!, /escrow-[0-9A-Z]{8}-s1-share-2-bob\.age$/);
    sheetTexts.push(...created.sheets.filter((x) => !x.encrypted).map((x) => x.text));
  });

  test("alice's sheet, bob's age file and a scan of erin's QR code verify the bundle; two shares are one short", async () => {
    execFileSync('pdftoppm', ['-r', '120', '-png', '-singlefile', sheet('erin').pdf, join(s.dir, 'erin-scan')]);
    const args = ['escrow', 'verify', '--bundle', created.manifest, '--share', sheet('alice').text, '--share', sheet('bob').shareFile!];
    const run = await offline([...args, '--share', join(s.dir, 'erin-scan.png'), '--identity', join(s.dir, 'bob.key')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Drill passed: shares 1, 2, 5 of set 1 restore bundle [0-9A-Z]{8}, and every key matches its fingerprint\.\n/,
    );
    assert.match(run.stdout, /pii-enc-key@v1 +ok +sha256:/);
    assert.match(run.stdout, /Nothing was imported, written or shown\.\n$/);
    const short = await offline([
      'escrow',
      'verify',
      '--bundle',
      created.manifest,
      '--share',
      sheet('alice').text,
      '--share',
      sheet('carol').text,
    ]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /3 shares of set 1 are needed and 2 valid were given: 1 more is needed\. \[not-enough-shares\]/);
    const noIdentity = await offline([...args, '--share', sheet('carol').text]);
    assert.equal(noIdentity.code, 2);
    assert.match(
      noIdentity.stderr,
      /share 2 \(.*bob\.age\): it is encrypted to a custodian's age key: give their identity file \(--identity\)/,
    );
  });

  test('three custodians restore to a new 0600 file, shares piped on stdin; the file is never overwritten', async () => {
    const stdin = `${readFileSync(sheet('carol').text, 'utf8')}\n\n${readFileSync(sheet('dave').text, 'utf8')}`;
    const out = join(s.dir, 'restored.json');
    const run = await offline(
      ['escrow', 'restore', '--bundle', join(s.dir, 'escrow'), '--share', '-', '--share', sheet('erin').text, '--out', out],
      stdin,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { keys: { value: string }[] };
    assert.deepEqual(
      doc.keys.map((k) => k.value),
      values,
    );
    const again = await offline(
      ['escrow', 'restore', '--bundle', join(s.dir, 'escrow'), '--share', '-', '--share', sheet('erin').text, '--out', out],
      stdin,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; Keyturn never overwrites it\. Choose another name\. \[already-exists\]/);
  });

  test("Debian's age alone opens the bundle with the identity three custodians restore", async () => {
    const identity = join(s.dir, 'identity.txt');
    const run = await offline([
      'escrow',
      'restore',
      '--bundle',
      created.bundleFile,
      '--share',
      sheet('alice').text,
      '--share',
      sheet('dave').text,
      '--share',
      sheet('erin').text,
      '--identity-out',
      identity,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const plain = JSON.parse(execFileSync('unshare', ['--net', 'age', '-d', '-i', identity, created.bundleFile]).toString()) as {
      keys: { name: string; value: string }[];
    };
    assert.deepEqual(
      plain.keys.map((k) => k.value),
      values,
    );
  });

  test('restore --import brings deleted keys back into the keychain', async () => {
    for (const name of ['pii-enc-key', 'signer']) assert.equal((await cli(['keys', 'delete', name, '--yes'])).code, 0);
    const run = await offline([
      'escrow',
      'restore',
      '--bundle',
      created.manifest,
      '--share',
      sheet('carol').text,
      '--share',
      sheet('dave').text,
      '--share',
      sheet('erin').text,
      '--import',
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { keys: { name: string; outcome: string; keychainVersion: number }[] };
    assert.deepEqual(
      result.keys.map((k) => [k.name, k.outcome, k.keychainVersion]),
      [
        ['pii-enc-key', 'imported', 1],
        ['signer', 'imported', 1],
      ],
    );
    for (const [i, name] of ['pii-enc-key', 'signer'].entries())
      assert.deepEqual(await secretToolLookup(env, 'keyturn-escrow-cli', `${name}@v1`), { code: 0, value: values[i] });
  });

  test('rekey to three new custodians voids the old set; its shares are then refused', async () => {
    const run = await offline([
      'escrow',
      'rekey',
      '--bundle',
      created.manifest,
      '--share',
      sheet('alice').text,
      '--share',
      sheet('carol').text,
      '--share',
      sheet('dave').text,
      '--threshold',
      '2',
      ...['frank', 'grace', 'heidi'].flatMap((c) => ['--custodian', c]),
      '--json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const rekeyed = JSON.parse(run.stdout) as EscrowRekeyResult;
    assert.equal(rekeyed.voided.set, 1);
    const fresh = await offline([
      'escrow',
      'verify',
      '--bundle',
      created.manifest,
      '--share',
      rekeyed.sheets[0]!.text,
      '--share',
      rekeyed.sheets[2]!.text,
    ]);
    assert.equal(fresh.code, 0, fresh.stderr);
    const old = await offline([
      'escrow',
      'verify',
      '--bundle',
      created.manifest,
      '--share',
      sheet('alice').text,
      '--share',
      sheet('carol').text,
      '--share',
      sheet('dave').text,
    ]);
    assert.equal(old.code, 1);
    assert.match(old.stderr, /it belongs to share set 1, which a rekey voided on \d{4}-\d\d-\d\d; use shares of set 2/);
    const show = await cli(['escrow', 'show', '--bundle', created.manifest]);
    assert.match(show.stdout, /share set 2: any 2 of 3: 1\. frank, 2\. grace, 3\. heidi\n {2}share set 1: VOID since /);
    sheetTexts.push(...rekeyed.sheets.map((f) => f.text));
  });

  test('no value and no share was printed, logged or put in KEYTURN_HOME', () => {
    // Every share as the sheets print it: first groups of each line, and the whole canonical text.
    const shares: string[] = [];
    for (const f of sheetTexts) {
      const lines = readFileSync(f, 'utf8').match(/^ {3}\d {2}(\S{6} \S{6} \S{6} \S{6})$/gm)!;
      shares.push(lines.map((l) => l.trim().slice(3)).join(' '), lines.map((l) => l.trim().slice(3).replace(/ /g, '-')).join('-'));
      // Each printed line alone too: a quarter of a share is a leak as well.
      lines.forEach((l) => shares.push(l.trim().slice(3)));
    }
    assert.equal(shares.length, 42); // 4 plain shares of set 1 and 3 of set 2: two spellings and four lines each
    const everything = outputs.join('\n');
    for (const secret of [...values, ...shares])
      for (const v of secretVariants(secret)) assert.ok(!everything.includes(v), 'an output holds a value or share');
    assert.deepEqual(filesHoldingSecrets(s.keyturnHome, [...values, ...shares]), []);
    const audit = readFileSync(join(s.keyturnHome, 'audit.log'), 'utf8');
    assert.match(
      audit,
      /"action":"escrow-create","key":"escrow:[0-9A-Z]{8}","target":"[^"]+","outcome":"ok","detail":"v1 set 1 3-of-5; keys pii-enc-key@v1,signer@v1; custodians alice,bob,carol,dave,erin"/,
    );
  });
});
