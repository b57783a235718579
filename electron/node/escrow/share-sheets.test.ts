// Share sheets as a custodian gets them: the PDF rendered to PNG by poppler's pdftoppm and its QR code read back by
// zbarimg (independent tools) equals the share; Keyturn's own QR reader reads the same scans (PNG and JPEG); shares
// encrypted to a custodian open with Debian's age and their age-keygen identity, and nowhere on disk in the clear.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { filesUnder } from '../../../test/support/secret-scan.js';
import { identitiesInFile } from './age-crypto.js';
import { encodeShare } from './share-codec.js';
import { readShares } from './share-input.js';
import { newShareSet } from './seal-set.js';
import { writeShareSheets } from './share-sheets.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-sheets-'));
after(() => rmSync(root, { recursive: true, force: true }));

const KEYS = [
  {
    name: 'pii-enc-key',
    version: 2,
    kind: 'fernet' as const,
    fingerprint: 'sha256:3q2-7wAAAAAAAAAAAAAAAA',
    created: '2026-11-01T00:00:00.000Z',
  },
  { name: 'signer', version: 1, kind: 'jwt-ed25519' as const, fingerprint: 'jwk-thumbprint:abc', created: '2026-11-01T00:00:00.000Z' },
];

/** `age-keygen` writes a fresh identity file; returns its path and the recipient it prints. */
function ageKeygen(path: string): string {
  execFileSync('age-keygen', ['-o', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  return /# public key: (age1[0-9a-z]+)/.exec(readFileSync(path, 'utf8'))![1]!;
}

/** zbarimg's reading of every QR code on a page image, one text per code. */
function zbar(png: string): string[] {
  const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  return [out.replace(/\n$/, '')];
}

function renderPage(pdf: string, format: 'png' | 'jpeg'): string {
  const prefix = pdf.replace(/\.pdf$/, `-${format}`);
  execFileSync('pdftoppm', ['-r', '100', `-${format}`, '-singlefile', pdf, prefix]);
  return `${prefix}.${format === 'png' ? 'png' : 'jpg'}`;
}

test('each PDF sheet is one page whose QR code, read by zbarimg and by Keyturn, is the share printed on it', async () => {
  const dir = join(root, 'plain');
  const created = new Date('2026-12-01T09:30:00Z');
  const custodians = ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name }));
  const set = await newShareSet({ bundleId: 'K3M9QX2A', set: 1, threshold: 3, custodians, created });
  const written: string[] = [];
  const sheets = await writeShareSheets(
    { bundleDir: dir, bundleId: 'K3M9QX2A', set: set.record, shares: set.shares, keys: KEYS, created },
    written,
  );
  assert.equal(sheets.length, 5);
  assert.equal(written.length, 10);
  for (const sheet of sheets) {
    const expected = encodeShare(set.shares[sheet.index - 1]!);
    assert.equal(statSync(sheet.pdf).mode & 0o777, 0o600);
    const pdfinfo = execFileSync('pdfinfo', [sheet.pdf]).toString();
    assert.match(pdfinfo, /Pages:\s+1\n/);
    const png = renderPage(sheet.pdf, 'png');
    assert.deepEqual(zbar(png), [expected], `sheet ${sheet.index}`);
    const text = readFileSync(sheet.text, 'utf8');
    assert.match(text, new RegExp(`Custodian:  ${sheet.custodian} \\(share ${sheet.index} of 5\\)`));
    assert.match(text, /any 3 of 5 shares restore the bundle/);
    assert.match(text, /pii-enc-key@v2 +fernet +sha256:3q2-7wAAAAAAAAAAAAAAAA/);
    // The PDF's own text says the same (pdftotext is poppler's, independent of pdf-lib).
    const pdfText = execFileSync('pdftotext', ['-layout', sheet.pdf, '-']).toString();
    assert.match(pdfText, /Custodian: \w+ \(share \d of 5\)/);
    assert.match(pdfText, /signer@v1\s+jwt-ed25519\s+jwk-thumbprint:abc/);
    assert.match(pdfText, /Date 2026-12-01/);
    for (const line of expected.split('-')) assert.ok(pdfText.includes(line), 'every group is printed');
  }
  // Keyturn reads the scans (PNG, and JPEG as a phone would send) and the text sheets back into the same shares.
  const first = sheets[0]!;
  const jpeg = renderPage(first.pdf, 'jpeg');
  const { given, unreadable } = await readShares([
    { kind: 'file', path: first.pdf.replace(/\.pdf$/, '-png.png') },
    { kind: 'bytes', name: 'phone.jpg', bytes: readFileSync(jpeg) },
    { kind: 'file', path: sheets[1]!.text },
    { kind: 'text', text: readFileSync(sheets[2]!.text, 'utf8') },
  ]);
  assert.deepEqual(unreadable, []);
  assert.deepEqual(
    given.map((g) => g.share),
    [set.shares[0], set.shares[0], set.shares[1], set.shares[2]],
  );
});

test("shares encrypted to custodians open with age -d -i and each custodian's age-keygen identity, and only then", async () => {
  const dir = join(root, 'encrypted');
  const created = new Date('2026-12-01T09:30:00Z');
  const people = ['frank', 'grace', 'heidi'].map((name) => {
    const identityFile = join(root, `${name}.key`);
    return { name, identityFile, recipient: ageKeygen(identityFile) };
  });
  const set = await newShareSet({
    bundleId: 'K3M9QX2A',
    set: 1,
    threshold: 2,
    custodians: people.map(({ name, recipient }) => ({ name, recipient })),
    created,
  });
  const written: string[] = [];
  const sheets = await writeShareSheets(
    { bundleDir: dir, bundleId: 'K3M9QX2A', set: set.record, shares: set.shares, keys: KEYS, created },
    written,
  );
  const plainTexts = set.shares.map(encodeShare);
  for (const sheet of sheets) {
    const person = people[sheet.index - 1]!;
    assert.ok(sheet.encrypted && sheet.shareFile);
    const opened = execFileSync('age', ['-d', '-i', person.identityFile, sheet.shareFile]).toString();
    assert.equal(opened, plainTexts[sheet.index - 1]);
    // Another custodian's identity does not open it.
    const other = people[sheet.index % 3]!;
    assert.throws(() => execFileSync('age', ['-d', '-i', other.identityFile, sheet.shareFile!], { stdio: 'pipe' }));
    // The QR code on the sheet is the encrypted file itself.
    assert.deepEqual(zbar(renderPage(sheet.pdf, 'png')), [readFileSync(sheet.shareFile, 'utf8').trimEnd()]);
  }
  // No plain share anywhere in the folder: not in a sheet, not in a temp file left behind.
  for (const file of filesUnder(dir)) {
    const content = readFileSync(file, 'latin1');
    for (const text of plainTexts) {
      assert.ok(!content.includes(text) && !content.includes(text.replace(/-/g, ' ')), `${file} holds a plain share`);
      for (const group of text.split('-').slice(0, 4)) assert.ok(!content.includes(`${group} `), `${file} holds share groups`);
    }
  }
  assert.deepEqual(
    readdirSync(join(dir, 'shares')).filter((f) => f.includes('.tmp')),
    [],
  );
  // Keyturn opens them with the custodians' identity files, and says what is missing without one.
  const identities = people.flatMap((p) => identitiesInFile(readFileSync(p.identityFile, 'utf8'), p.identityFile));
  const sources = sheets.map((s) => ({ kind: 'file' as const, path: s.shareFile! }));
  const read = await readShares(sources, identities.slice(0, 2));
  assert.deepEqual(
    read.given.map((g) => g.share),
    set.shares.slice(0, 2),
  );
  assert.deepEqual(read.unreadable, [
    { label: `share 3 (${sheets[2]!.shareFile!.split('/').pop()})`, reason: 'it is encrypted to a custodian whose identity was not given' },
  ]);
  const none = await readShares(sources.slice(0, 1));
  assert.match(none.unreadable[0]!.reason, /encrypted to a custodian's age key: give their identity file \(--identity\)/);
});

test('a custodian named in another script gets a PDF (characters the PDF fonts lack print as ?) and a full text sheet', async () => {
  const dir = join(root, 'names');
  const created = new Date('2026-12-01T09:30:00Z');
  const custodians = [{ name: 'Zoë 山田' }, { name: 'Ana María' }];
  const set = await newShareSet({ bundleId: 'K3M9QX2A', set: 1, threshold: 2, custodians, created });
  const sheets = await writeShareSheets(
    { bundleDir: dir, bundleId: 'K3M9QX2A', set: set.record, shares: set.shares, keys: KEYS, created },
    [],
  );
  assert.match(sheets[0]!.pdf, /escrow-K3M9QX2A-s1-share-1-zo\.pdf$/);
  assert.match(sheets[1]!.pdf, /escrow-K3M9QX2A-s1-share-2-ana-mar-a\.pdf$/);
  assert.match(execFileSync('pdftotext', [sheets[0]!.pdf, '-']).toString(), /Custodian: Zoë \?\? \(share 1 of 2\)/);
  assert.match(readFileSync(sheets[0]!.text, 'utf8'), /Custodian: {2}Zoë 山田 \(share 1 of 2\)/);
});
