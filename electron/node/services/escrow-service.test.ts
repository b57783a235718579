// The escrow service end to end over a real gnome-keyring (private D-Bus session): create from keychain values, drill,
// restore to a file, to the keychain and to an age identity that Debian's `age` uses, add a version after a rotation,
// rekey with the old set reported void, custodians with age-keygen identities; and no value or share in KEYTURN_HOME.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { secretToolLookup } from '../../../test/support/run-cli.js';
import { filesHoldingSecrets, filesUnder } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { fingerprintOf } from '../crypto/fingerprint.js';
import { encodeShare } from '../escrow/share-codec.js';
import { readShares, type ShareSource } from '../escrow/share-input.js';
import { createKeychain } from '../keychain/create-keychain.js';
import { HomeStore } from '../store/home-store.js';
import { createAudited } from './audited.js';
import { createAuditService } from './audit-service.js';
import type { EscrowCreateResult as CreateResult } from '../../../shared/domain/escrow.js';
import { createEscrowService, type EscrowService } from './escrow-service.js';
import { nodeKeyCrypto } from './node-key-crypto.js';
import { createVaultService, type VaultService } from './vault-service.js';

const SERVICE = 'keyturn-escrow-test';

function ageKeygen(path: string): string {
  execFileSync('age-keygen', ['-o', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  return /# public key: (age1[0-9a-z]+)/.exec(readFileSync(path, 'utf8'))![1]!;
}

const files = (sheets: CreateResult['sheets'], indexes: number[]): ShareSource[] =>
  indexes.map((i) => ({ kind: 'file', path: sheets.find((s) => s.index === i)!.text }));

describe('escrow over a real gnome-keyring', { timeout: 300_000 }, () => {
  let s: SecretServiceSession;
  let vault: VaultService;
  let escrow: EscrowService;
  let home: HomeStore;
  let out: string;
  let first: CreateResult;
  const values = new Map<string, string>();
  /** Every share seen in the clear, for the final scan. */
  const shareTexts = new Set<string>();

  async function remember(sheets: CreateResult['sheets'], identities: string[] = []): Promise<void> {
    const { given } = await readShares(
      sheets.map((sh) => ({ kind: 'file', path: sh.shareFile ?? sh.text })),
      identities,
    );
    for (const g of given) shareTexts.add(encodeShare(g.share));
  }

  before(async () => {
    s = await startSecretService({ unlocked: true });
    // libsecret connects to the bus named in this process's environment on first use.
    for (const key of ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'])
      process.env[key] = s.env[key];
    home = new HomeStore(s.keyturnHome);
    vault = createVaultService({ home, keychain: createKeychain(SERVICE, s.env), crypto: nodeKeyCrypto, timeoutMs: 15_000 });
    escrow = createEscrowService({ vault, audited: createAudited(home), clock: () => new Date() });
    out = join(s.dir, 'escrow');
    for (const [name, options] of [
      ['pii-enc-key', { kind: 'fernet' }],
      ['signer', { kind: 'jwt-ec', alg: 'ES256' }],
      ['api-secret', { kind: 'secret', bytes: 48 }],
    ] as const) {
      const { key } = await vault.generateAndStore({ name, options });
      values.set(`${name}@v1`, key.secret);
    }
  });
  after(async () => {
    await s?.stop();
  });

  test('create reads the keys from the keychain and writes the bundle, sheets and manifest, with no value in the clear', async () => {
    first = await escrow.create({
      keys: [{ name: 'pii-enc-key' }, { name: 'signer', version: 1 }, { name: 'api-secret' }],
      threshold: 3,
      custodians: ['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => ({ name })),
      outDir: out,
    });
    await remember(first.sheets);
    assert.match(first.bundleId, /^[0-9A-HJKMNP-TV-Z]{8}$/);
    assert.deepEqual(
      first.keys.map((k) => `${k.name}@v${k.version}:${k.kind}`),
      ['pii-enc-key@v1:fernet', 'signer@v1:jwt-ec', 'api-secret@v1:secret'],
    );
    assert.match(first.set.created, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(first.set, {
      created: first.set.created,
      set: 1,
      threshold: 3,
      shares: 5,
      custodians: ['alice', 'bob', 'carol', 'dave', 'erin'].map((name, i) => ({ index: i + 1, name, encrypted: false })),
    });
    const id = first.bundleId;
    assert.deepEqual(readdirSync(out).sort(), [`escrow-${id}-v1-s1.age`, `escrow-${id}.json`, 'shares']);
    assert.equal(readdirSync(join(out, 'shares')).length, 10);
    assert.match(readFileSync(first.bundleFile, 'utf8'), /^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    assert.equal(statSync(first.bundleFile).mode & 0o777, 0o644);
    assert.equal(statSync(first.sheets[0]!.pdf).mode & 0o777, 0o600);
    assert.deepEqual(filesHoldingSecrets(out, [...values.values()]), []);
    const info = await escrow.inspect(out);
    assert.deepEqual([info.bundleId, info.set.threshold, info.set.shares, info.versions.length], [id, 3, 5, 1]);
    const manifest = JSON.parse(readFileSync(first.manifest, 'utf8')) as { set: { commitments: string[]; recipient: string } };
    assert.equal(manifest.set.commitments.length, 5);
    assert.match(manifest.set.recipient, /^age1/);
  });

  test('a drill with any three sheets proves the bundle and every fingerprint, revealing nothing', async () => {
    const result = await escrow.verify({ bundle: first.manifest, shares: files(first.sheets, [1, 3, 5]) });
    assert.deepEqual(result.used, [1, 3, 5]);
    assert.deepEqual(
      result.versions.map((v) => v.keys.map((k) => [k.name, k.ok])),
      [
        [
          ['pii-enc-key', true],
          ['signer', true],
          ['api-secret', true],
        ],
      ],
    );
    assert.ok(!JSON.stringify(result).includes(values.get('api-secret@v1')!));
  });

  test('two shares fail saying one more is needed; a mistyped one is named with its group', async () => {
    await assert.rejects(escrow.verify({ bundle: out, shares: files(first.sheets, [2, 4]) }), {
      code: 'not-enough-shares',
      message: /3 shares of set 1 are needed and 2 valid were given: 1 more is needed/,
    });
    const text = readFileSync(first.sheets[2]!.text, 'utf8');
    const line = text.split('\n').find((l) => /^\s+2 {2}/.test(l))!;
    const typo = line.replace(/^(\s+2 {2}\S{6} )(.)/, (_m, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'));
    await assert.rejects(
      escrow.verify({
        bundle: out,
        shares: [...files(first.sheets, [1, 2]), { kind: 'text', text: text.replace(line, typo) }],
      }),
      { code: 'invalid-share', message: /^share 3 \(typed\): group 6 of 16 has a typing error.*1 more is needed\.$/ },
    );
  });

  test("Debian's age decrypts the bundle with the identity restored from three shares", async () => {
    const identityFile = join(s.dir, 'restored-identity.txt');
    const result = await escrow.restore({ bundle: first.bundleFile, shares: files(first.sheets, [2, 3, 4]), identityOut: identityFile });
    assert.equal(result.identityOut, identityFile);
    assert.equal(statSync(identityFile).mode & 0o777, 0o600);
    const plain = JSON.parse(execFileSync('age', ['-d', '-i', identityFile, first.bundleFile]).toString()) as {
      keys: { name: string; version: number; value: string }[];
    };
    assert.deepEqual(
      plain.keys.map((k) => [`${k.name}@v${k.version}`, k.value]),
      [...values.entries()],
    );
  });

  test('restore to a file writes a new 0600 file and never overwrites one', async () => {
    const target = join(s.dir, 'restored.json');
    const result = await escrow.restore({ bundle: out, shares: files(first.sheets, [5, 1, 4]), outFile: target });
    assert.deepEqual(
      result.keys.map((k) => k.outcome),
      ['written', 'written', 'written'],
    );
    assert.equal(statSync(target).mode & 0o777, 0o600);
    const doc = JSON.parse(readFileSync(target, 'utf8')) as { keys: { value: string }[] };
    assert.deepEqual(
      doc.keys.map((k) => k.value),
      [...values.values()],
    );
    writeFileSync(join(s.dir, 'taken.json'), 'mine\n');
    await assert.rejects(escrow.restore({ bundle: out, shares: files(first.sheets, [5, 1, 4]), outFile: join(s.dir, 'taken.json') }), {
      code: 'already-exists',
      message: /taken\.json already exists; Keyturn never overwrites it/,
    });
    assert.equal(readFileSync(join(s.dir, 'taken.json'), 'utf8'), 'mine\n');
    // A taken name is refused before anything is written, the identity file included.
    const identityFile = join(s.dir, 'not-written.txt');
    await assert.rejects(
      escrow.restore({
        bundle: out,
        shares: files(first.sheets, [1, 2, 3]),
        identityOut: identityFile,
        outFile: join(s.dir, 'taken.json'),
      }),
      { code: 'already-exists' },
    );
    assert.equal(existsSync(identityFile), false);
    await assert.rejects(escrow.restore({ bundle: out, shares: files(first.sheets, [5, 1, 4]) }), { code: 'usage' });
  });

  test('restore --import stores lost keys as new versions through the vault and leaves present ones alone', async () => {
    await vault.delete('api-secret', true);
    const result = await escrow.restore({ bundle: out, shares: files(first.sheets, [1, 2, 3]), import: true });
    assert.deepEqual(
      result.keys.map((k) => [k.name, k.outcome, k.keychainVersion]),
      [
        ['pii-enc-key', 'already-present', 1],
        ['signer', 'already-present', 1],
        ['api-secret', 'imported', 1],
      ],
    );
    // libsecret's own tool, not Keyturn, says what the keychain now holds.
    assert.deepEqual(await secretToolLookup(s.env, SERVICE, 'api-secret@v1'), { code: 0, value: values.get('api-secret@v1') });
    assert.equal((await vault.reveal({ name: 'api-secret' }, { reason: 'reveal' })).value, values.get('api-secret@v1'));
  });

  test('an import that would clash with a different kind of key in the keychain imports nothing', async () => {
    await vault.delete('signer', true);
    await vault.generateAndStore({ name: 'signer', options: { kind: 'fernet' } });
    const before = (await vault.list()).map((k) => `${k.name}:${k.versions.length}`);
    await assert.rejects(escrow.restore({ bundle: out, shares: files(first.sheets, [1, 2, 3]), import: true }), {
      code: 'refused',
      message: /The keychain's signer holds fernet keys but the bundle's is ES256; nothing was imported/,
    });
    assert.deepEqual(
      (await vault.list()).map((k) => `${k.name}:${k.versions.length}`),
      before,
    );
    // With the clashing key gone, the lost EC key comes back from the bundle exactly.
    await vault.delete('signer', true);
    const result = await escrow.restore({ bundle: out, shares: files(first.sheets, [3, 4, 5]), import: true });
    assert.deepEqual(
      result.keys.find((k) => k.name === 'signer'),
      { name: 'signer', version: 1, fingerprint: first.keys[1]!.fingerprint, keychainVersion: 1, outcome: 'imported' },
    );
    assert.deepEqual(await secretToolLookup(s.env, SERVICE, 'signer@v1'), { code: 0, value: values.get('signer@v1') });
  });

  test('a rotated key goes into a new bundle version that the same shares open', async () => {
    await vault.rotate('pii-enc-key');
    const v2 = (await vault.reveal({ name: 'pii-enc-key' }, { reason: 'reveal' })).value;
    values.set('pii-enc-key@v2', v2);
    const added = await escrow.addVersion({ bundle: out });
    assert.equal(added.version, 2);
    assert.deepEqual(
      added.keys.map((k) => `${k.name}@v${k.version}`),
      ['pii-enc-key@v2', 'signer@v1', 'api-secret@v1'],
    );
    const drill = await escrow.verify({ bundle: out, shares: files(first.sheets, [1, 2, 5]) });
    assert.deepEqual(
      drill.versions.map((v) => v.version),
      [1, 2],
    );
    const v1File = join(s.dir, 'v1.json');
    await escrow.restore({ bundle: out, shares: files(first.sheets, [1, 2, 5]), version: 1, outFile: v1File });
    assert.equal((JSON.parse(readFileSync(v1File, 'utf8')) as { keys: { value: string }[] }).keys[0]!.value, values.get('pii-enc-key@v1'));
    const v2File = join(s.dir, 'v2.json');
    await escrow.restore({ bundle: out, shares: files(first.sheets, [1, 2, 5]), outFile: v2File });
    assert.equal((JSON.parse(readFileSync(v2File, 'utf8')) as { keys: { value: string }[] }).keys[0]!.value, v2);
  });

  test('rekey makes a new set for other custodians, proves it, and only then reports the old set void', async () => {
    const people = ['frank', 'grace', 'heidi'].map((name) => {
      const identityFile = join(s.dir, `${name}.key`);
      return { name, identityFile, recipient: ageKeygen(identityFile) };
    });
    const result = await escrow.rekey({
      bundle: out,
      shares: files(first.sheets, [2, 3, 4]),
      threshold: 2,
      custodians: [
        { name: 'frank', recipient: people[0]!.recipient },
        { name: 'grace', recipient: people[1]!.recipient },
        { name: 'heidi' },
      ],
    });
    assert.equal(result.set.set, 2);
    assert.equal(result.voided.set, 1);
    assert.deepEqual(
      result.set.custodians.map((c) => [c.name, c.encrypted]),
      [
        ['frank', true],
        ['grace', true],
        ['heidi', false],
      ],
    );
    assert.deepEqual(result.versions, [1, 2]);
    const id = first.bundleId;
    assert.deepEqual(
      readdirSync(out)
        .filter((f) => f.endsWith('.age'))
        .sort(),
      [`escrow-${id}-v1-s2.age`, `escrow-${id}-v2-s2.age`],
    );
    const identities = people.map((p) =>
      readFileSync(p.identityFile, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('AGE-SECRET-KEY-1'))!,
    );
    await remember(result.sheets, identities);
    // Frank's encrypted share file and Heidi's sheet restore the bundle; Grace opens hers with age herself and types it.
    const frank = result.sheets.find((sh) => sh.custodian === 'frank')!.shareFile!;
    const grace = execFileSync('age', [
      '-d',
      '-i',
      people[1]!.identityFile,
      result.sheets.find((sh) => sh.custodian === 'grace')!.shareFile!,
    ]).toString();
    const heidi = result.sheets.find((sh) => sh.custodian === 'heidi')!.text;
    const drill = await escrow.verify({
      bundle: out,
      shares: [
        { kind: 'file', path: frank },
        { kind: 'file', path: heidi },
      ],
      identities,
    });
    assert.deepEqual(drill.used, [1, 3]);
    const restored = join(s.dir, 'after-rekey.json');
    await escrow.restore({
      bundle: out,
      shares: [
        { kind: 'text', text: grace },
        { kind: 'file', path: heidi },
      ],
      outFile: restored,
    });
    assert.equal((JSON.parse(readFileSync(restored, 'utf8')) as { keys: { value: string }[] }).keys[1]!.value, values.get('signer@v1'));
    await assert.rejects(escrow.verify({ bundle: out, shares: files(first.sheets, [1, 2, 3]) }), {
      code: 'share-rejected',
      message: /share set 1, which a rekey voided on \d{4}-\d\d-\d\d; use shares of set 2/,
    });
    const manifest = await escrow.inspect(out);
    assert.deepEqual(
      manifest.voidedSets.map((v) => [v.set, v.replacedBy, v.custodians.map((c) => c.name).join(',')]),
      [[1, 2, 'alice,bob,carol,dave,erin']],
    );
  });

  test('a create that fails halfway leaves no half bundle, and a missing key is refused before anything is written', async () => {
    const blocked = join(s.dir, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'shares'), 'a file where the sheets folder would go\n');
    await assert.rejects(escrow.create({ keys: [{ name: 'signer' }], threshold: 2, shareCount: 3, outDir: blocked }), { code: 'io' });
    assert.deepEqual(readdirSync(blocked), ['shares']);
    const empty = join(s.dir, 'empty');
    await assert.rejects(escrow.create({ keys: [{ name: 'no-such-key' }], threshold: 2, shareCount: 3, outDir: empty }), {
      code: 'not-found',
    });
    assert.equal(existsSync(empty), false);
    await assert.rejects(escrow.create({ keys: [{ name: 'signer' }], threshold: 1, shareCount: 3, outDir: empty }), {
      code: 'invalid-input',
    });
    await assert.rejects(
      escrow.create({ keys: [{ name: 'signer' }], threshold: 2, custodians: [{ name: 'x', recipient: 'age1nope' }], outDir: empty }),
      {
        code: 'invalid-input',
        message: /not an age X25519 public key/,
      },
    );
    // A PDF given as a share is explained, not misread.
    await assert.rejects(escrow.verify({ bundle: out, shares: [{ kind: 'file', path: first.sheets[0]!.pdf }] }), {
      code: 'invalid-share',
      message: /it is a PDF; give the text sheet/,
    });
  });

  test('every action left an audit line with the bundle, key versions and custodians; no value or share in KEYTURN_HOME', async () => {
    const audit = await createAuditService(home).list(0);
    const id = first.bundleId;
    const escrowLines = audit.filter((e: AuditEntry) => e.key === `escrow:${id}`);
    assert.ok(escrowLines.every((e) => e.action.startsWith('escrow-')));
    assert.equal(escrowLines.length, 20); // one per call that reached the bundle, failures included
    const create = escrowLines.find((e) => e.action === 'escrow-create')!;
    assert.equal(create.outcome, 'ok');
    assert.equal(create.target, first.manifest);
    assert.match(create.detail!, /^v1 set 1 3-of-5; keys pii-enc-key@v1,signer@v1,api-secret@v1; custodians alice,bob,carol,dave,erin$/);
    assert.ok(escrowLines.some((e) => e.action === 'escrow-verify' && e.outcome === 'ok' && /shares of alice,carol,erin/.test(e.detail!)));
    assert.ok(escrowLines.some((e) => e.action === 'escrow-verify' && e.outcome === 'failed' && e.code === 'not-enough-shares'));
    assert.ok(escrowLines.some((e) => e.action === 'escrow-restore' && /to keychain$/.test(e.detail!)));
    const refused = audit.find((e) => e.action === 'escrow-create' && e.code === 'not-found')!;
    assert.deepEqual(
      [refused.outcome, refused.detail],
      ['refused', 'set 1 2-of-3; keys no-such-key; custodians custodian 1,custodian 2,custodian 3'],
    );
    assert.ok(escrowLines.some((e) => e.action === 'escrow-add-version' && /^v2 set 1; keys pii-enc-key@v2,/.test(e.detail!)));
    assert.ok(
      escrowLines.some(
        (e) =>
          e.action === 'escrow-rekey' &&
          e.outcome === 'ok' &&
          /set 1 \(alice,bob,carol,dave,erin\) void -> set 2 2-of-3 \(frank,grace,heidi\)/.test(e.detail!),
      ),
    );
    // Reading the keys for the bundle left one `use` line per key, aimed at the bundle.
    assert.equal(audit.filter((e) => e.action === 'use' && e.target === `escrow:${id}`).length, 6);
    assert.equal(shareTexts.size, 8);
    const canaries = [...values.values(), ...shareTexts, ...[...shareTexts].map((t) => t.replace(/-/g, ''))];
    assert.deepEqual(filesHoldingSecrets(s.keyturnHome, canaries), []);
    assert.ok(filesUnder(s.keyturnHome).some((f) => f.endsWith('audit.log')));
    assert.ok(existsSync(join(s.keyturnHome, 'inventory.json')));
    assert.deepEqual((await createAuditService(home).verify()).ok, true);
  });

  test("a guessable value is escrowed under the bundle's own fingerprint key, and restores on another installation", async () => {
    const env = join(s.dir, 'guessable.env');
    writeFileSync(env, 'DB_PASSWORD=Summer2024!Winter2025!\n');
    await vault.importFromEnv({ name: 'db-password', file: env, variable: 'DB_PASSWORD', kind: 'secret' });
    const dir = join(s.dir, 'escrow-guessable');
    const made = await escrow.create({
      keys: [{ name: 'db-password' }],
      threshold: 2,
      custodians: [{ name: 'ann' }, { name: 'ben' }],
      outDir: dir,
    });
    // Neither the public digest anyone can compute nor this installation's keyed form is on the sheets or the manifest.
    const publicForm = fingerprintOf('secret', 'Summer2024!Winter2025!');
    const keyedHere = (await vault.show('db-password')).versions[0]!.fingerprint;
    assert.match(made.keys[0]!.fingerprint, /^hmac:/);
    assert.notEqual(made.keys[0]!.fingerprint, keyedHere);
    for (const file of filesUnder(dir)) {
      const text = readFileSync(file, 'latin1');
      assert.ok(!text.includes(publicForm) && !text.includes(keyedHere), `${file} holds no fingerprint a guess can be tested against`);
    }
    // Another installation (its own home, keychain entries and fingerprint key) restores it into its keychain.
    const otherHome = new HomeStore(join(s.dir, 'other-home'));
    const other = createVaultService({
      home: otherHome,
      keychain: createKeychain(`${SERVICE}-other`, s.env),
      crypto: nodeKeyCrypto,
      timeoutMs: 15_000,
    });
    const otherEscrow = createEscrowService({ vault: other, audited: createAudited(otherHome), clock: () => new Date() });
    const drill = await otherEscrow.verify({ bundle: dir, shares: files(made.sheets, [1, 2]) });
    assert.deepEqual(
      drill.versions.flatMap((v) => v.keys.map((k) => k.ok)),
      [true],
    );
    const restored = await otherEscrow.restore({ bundle: dir, shares: files(made.sheets, [2, 1]), import: true });
    assert.deepEqual(
      restored.keys.map((k) => [k.name, k.outcome]),
      [['db-password', 'imported']],
    );
    assert.equal((await other.reveal({ name: 'db-password' }, { reason: 'reveal' })).value, 'Summer2024!Winter2025!');
    // Back home the value is recognised as the one already stored.
    const again = await escrow.restore({ bundle: dir, shares: files(made.sheets, [1, 2]), import: true });
    assert.deepEqual(
      again.keys.map((k) => [k.name, k.outcome, k.keychainVersion]),
      [['db-password', 'already-present', 1]],
    );
  });
});
