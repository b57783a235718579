// Escrow speed beside native anchors: Shamir split/combine with the integrity checks, sealing and opening a bundle in
// JS (age-encryption) against Debian's `age` (Go), one PDF sheet, and reading a sheet's QR code from a 150-dpi scan
// with Keyturn's pure-JS reader (jsQR) against zbarimg (C). Best of several rounds on a shared machine; ratios, not limits.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../electron/node/crypto/generate-key.js';
import { decryptAge } from '../electron/node/escrow/age-crypto.js';
import { PAYLOAD_FORMAT, type BundlePayload } from '../electron/node/escrow/bundle-model.js';
import { readQrText } from '../electron/node/escrow/qr-read.js';
import { newShareSet, sealPayload } from '../electron/node/escrow/seal-set.js';
import { decodeShare, encodeShare } from '../electron/node/escrow/share-codec.js';
import { combineShares, splitSecret } from '../electron/node/escrow/share-set.js';
import { renderPdfSheets } from '../electron/node/escrow/share-sheet-pdf.js';

const ROUNDS = Number(process.env.KEYTURN_BENCH_ROUNDS ?? '5');

async function best(fn: () => unknown, inner = 1): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < ROUNDS; r += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < inner; i += 1) await fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6 / inner);
  }
  return min;
}

const row = (what: string, ms: number, anchor?: number): string =>
  `| ${what.padEnd(52)} | ${ms.toFixed(2).padStart(9)} | ${(anchor === undefined ? '' : `${(ms / anchor).toFixed(2)}x`).padStart(8)} |`;

export async function run(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'keyturn-escrowbench-'));
  try {
    // A realistic bundle: 20 keys of mixed kinds (about 20 KB of JSON).
    const kinds = ['fernet', 'secret', 'jwt-hmac', 'jwt-ec', 'jwt-rsa'] as const;
    const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => generateKey({ kind: kinds[i % kinds.length]! })));
    const payload: BundlePayload = {
      format: PAYLOAD_FORMAT,
      bundleId: 'K3M9QX2A',
      version: 1,
      created: new Date().toISOString(),
      fingerprintKey: 'A'.repeat(43),
      keys: keys.map((k, i) => ({
        name: `key-${i}`,
        version: 1,
        kind: k.kind,
        fingerprint: k.fingerprint,
        created: k.created,
        value: k.secret,
      })),
    };
    const created = new Date();
    const custodians = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name }));
    const set = await newShareSet({ bundleId: 'K3M9QX2A', set: 1, threshold: 3, custodians, created });

    const secret = new Uint8Array(32).fill(7);
    const header = { bundleId: 'K3M9QX2A', set: 1, threshold: 3, shares: 5 };
    const splitMs = await best(() => splitSecret(secret, header), 200);
    const { shares, commitment } = await splitSecret(secret, header);
    const texts = shares.map(encodeShare);
    const combineMs = await best(
      () =>
        combineShares(
          texts.slice(0, 3).map((t, i) => ({ share: decodeShare(t), label: String(i) })),
          commitment,
        ),
      200,
    );
    const setMs = await best(() =>
      newShareSet({
        bundleId: 'K3M9QX2A',
        set: 1,
        threshold: 5,
        custodians: [...custodians, ...custodians.map((c) => ({ name: `${c.name}2` }))],
        created,
      }),
    );

    const sealMs = await best(() => sealPayload(payload, set.record.recipient), 10);
    const sealed = await sealPayload(payload, set.record.recipient);
    const openMs = await best(() => decryptAge(sealed, [set.identity], 'bench'), 10);
    const bundleFile = join(root, 'bundle.age');
    const identityFile = join(root, 'identity.txt');
    const plainFile = join(root, 'plain.json');
    await writeFile(bundleFile, sealed);
    await writeFile(identityFile, `${set.identity}\n`, { mode: 0o600 });
    await writeFile(plainFile, JSON.stringify(payload));
    const ageOpenMs = await best(() => execFileSync('age', ['-d', '-i', identityFile, bundleFile]), 5);
    const ageSealMs = await best(() => execFileSync('age', ['-e', '-a', '-r', set.record.recipient, plainFile]), 5);

    const sheet = {
      bundleId: 'K3M9QX2A',
      set: 1,
      date: '2026-12-01',
      custodian: { index: 1, name: 'a' },
      threshold: 3,
      shares: 5,
      custodians: custodians.map((c, i) => ({ index: i + 1, name: c.name })),
      keys: payload.keys,
      share: { form: 'plain' as const, text: texts[0]! },
      manifestFile: 'escrow-K3M9QX2A.json',
    };
    const pdfMs = await best(() => renderPdfSheets([sheet], created));
    const pdf = join(root, 'sheet.pdf');
    await writeFile(pdf, await renderPdfSheets([sheet], created));
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdf, join(root, 'scan')]);
    const scan = await readFile(join(root, 'scan.png'));
    const jsqrMs = await best(() => readQrText(scan, 'scan'));
    const zbarMs = await best(() =>
      execFileSync('zbarimg', ['--quiet', '--raw', join(root, 'scan.png')], { stdio: ['ignore', 'pipe', 'ignore'] }),
    );

    console.log(`best of ${ROUNDS} rounds; ratio = Keyturn / anchor (anchors run as child processes, start-up included)`);
    console.log(
      row('case', 0)
        .replace('0.00', '   ms')
        .replace(/\| +\|$/, '|   ratio |'),
    );
    console.log(`|${'-'.repeat(54)}|${'-'.repeat(11)}|${'-'.repeat(10)}|`);
    console.log(row('split 32 B, 3-of-5, with commitments', splitMs));
    console.log(row('decode 3 typed shares, check, combine', combineMs));
    console.log(row('new 5-of-10 set, all 252 subsets proved', setMs));
    console.log(row(`seal bundle (${Math.round(JSON.stringify(payload).length / 1024)} KB) age-encryption, armored`, sealMs, ageSealMs));
    console.log(row('  anchor: age -e -a (Debian, Go)', ageSealMs));
    console.log(row('open bundle age-encryption', openMs, ageOpenMs));
    console.log(row('  anchor: age -d -i (Debian, Go)', ageOpenMs));
    console.log(row('render one PDF share sheet (pdf-lib)', pdfMs));
    console.log(row('read QR from a 150-dpi A4 scan (jsQR, pngjs)', jsqrMs, zbarMs));
    console.log(row('  anchor: zbarimg (C)', zbarMs));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
