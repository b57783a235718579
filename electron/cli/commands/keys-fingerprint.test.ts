// Issue 9, item 5: fingerprints no longer give weak secrets away. The attack (hash a list of likely passwords
// the way the old inventory did, compare) is run against inventory.json, its backup and the audit log: it recovers
// `Summer2024!` from an old inventory, and nothing once Keyturn has keyed the fingerprints (new import or migration).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, type CliRun } from '../../../test/support/run-cli.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';

/** Long enough for `keys import` (20+ bytes) and still a guessable password. */
const PASSWORD = 'Summer2024!Winter2025!';
/** What an attacker tries first; the recovery took 7 guesses. */
const GUESSES = ['123456', 'password', 'Password1', 'qwerty123', 'Welcome1!', 'Winter2023!', PASSWORD, 'Spring2025!', 'letmein'];

/** The unkeyed form inventories held before (SHA-256 over a fixed tag and the value): anyone can compute it. */
function unkeyed(value: string): string {
  return `sha256:${createHash('sha256').update('keyturn-fingerprint-v1\0').update(value).digest().subarray(0, 16).toString('base64url')}`;
}

/** The attack: the first guess whose unkeyed fingerprint (or a plain digest) appears in any of the files. */
function recover(files: string[]): string | null {
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const guess of GUESSES) {
    const plain = createHash('sha256').update(guess).digest();
    for (const form of [unkeyed(guess), plain.toString('hex'), plain.toString('base64url'), plain.subarray(0, 16).toString('base64url')]) {
      if (text.includes(form)) return guess;
    }
  }
  return null;
}

describe('keyed fingerprints on a real gnome-keyring', { timeout: 120_000 }, () => {
  let s: SecretServiceSession;
  const cli = (args: string[], home: string): Promise<CliRun> => runCli(args, { env: { ...s.env, KEYTURN_HOME: home } });

  before(async () => {
    s = await startSecretService({ unlocked: true });
  });
  after(async () => {
    await s?.stop();
  });

  test('importing a guessable password warns, and inventory.json no longer gives it away', async () => {
    const home = join(s.dir, 'home-import');
    const env = join(s.dir, 'db.env');
    writeFileSync(env, `DB_PASSWORD=${PASSWORD}\nAPI_TOKEN=kq8Zr1b-QwX3mN5vT7yA9cE2gJ4hL6pS0uW_dF1iK3o\n`);
    const weak = await cli(['keys', 'import', 'db-password', '--from-env', env, '--var', 'DB_PASSWORD'], home);
    assert.equal(weak.code, 0, weak.stderr);
    assert.match(weak.stderr, /warning: The value of DB_PASSWORD looks guessable: .*keyturn keys rotate db-password/);
    assert.ok(!weak.stderr.includes(PASSWORD) && !weak.stdout.includes(PASSWORD));
    const strong = await cli(['keys', 'import', 'api-token', '--from-env', env, '--var', 'API_TOKEN', '--json'], home);
    assert.equal(strong.code, 0, strong.stderr);
    assert.equal(strong.stderr, '', 'a random token imports without a warning');

    const inventory = JSON.parse(readFileSync(join(home, 'inventory.json'), 'utf8')) as {
      keys: { name: string; versions: { fingerprint: string; publicFingerprint?: string }[] }[];
    };
    const versionOf = (name: string) => inventory.keys.find((k) => k.name === name)!.versions[0]!;
    assert.match(versionOf('db-password').fingerprint, /^hmac:/);
    assert.equal(versionOf('db-password').publicFingerprint, undefined, 'no public form for a guessable value');
    assert.equal(versionOf('api-token').publicFingerprint, unkeyed('kq8Zr1b-QwX3mN5vT7yA9cE2gJ4hL6pS0uW_dF1iK3o'));
    assert.equal(recover(['inventory.json', 'inventory.json.bak', 'audit.log'].map((f) => join(home, f))), null);
    // The value is still checked on every reveal against the keyed fingerprint.
    const shown = await cli(['keys', 'show', 'db-password', '--reveal'], home);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(PASSWORD));
  });

  test('an inventory from before keyed fingerprints is migrated on first use, audited, its backup included', async () => {
    const home = join(s.dir, 'home-legacy');
    mkdirSync(home, { recursive: true });
    const setup = join(s.dir, 'legacy.env');
    writeFileSync(setup, `LEGACY=${PASSWORD}\n`);
    // The keychain entry as an older Keyturn left it, with the inventory (and its .bak) it wrote.
    const seeded = await cli(['keys', 'import', 'legacy-pw', '--from-env', setup, '--var', 'LEGACY'], join(s.dir, 'seed'));
    assert.equal(seeded.code, 0, seeded.stderr);
    const legacy = {
      format: 1,
      keys: [
        {
          name: 'legacy-pw',
          kind: 'secret',
          envVar: 'LEGACY',
          tags: [],
          current: 1,
          versions: [
            { version: 1, status: 'current', created: new Date(0).toISOString(), fingerprint: unkeyed(PASSWORD), size: 88, chunks: 1 },
          ],
        },
      ],
    };
    writeFileSync(join(home, 'inventory.json'), JSON.stringify(legacy, null, 2));
    writeFileSync(join(home, 'inventory.json.bak'), JSON.stringify(legacy, null, 2));
    const files = ['inventory.json', 'inventory.json.bak'].map((f) => join(home, f));
    assert.equal(recover(files), PASSWORD, 'the old form falls to the attack');

    const listed = await cli(['keys', 'list', '--json'], home);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(recover(files), null, 'after the first use, neither the inventory nor its backup gives it away');
    assert.ok(!listed.stdout.includes(unkeyed(PASSWORD)));
    const audit = JSON.parse((await cli(['audit', '--json', '--limit', '0'], home)).stdout) as {
      entries: { action: string; key: string; outcome: string; detail?: string }[];
    };
    assert.deepEqual(
      audit.entries.map((e) => [e.action, e.key, e.outcome, e.detail]),
      [['migrate-fingerprints', 'inventory', 'ok', 'fingerprints of 1 version keyed; 0 generated by Keyturn kept a public form']],
    );
    // Reveal still verifies the value against the migrated (keyed) fingerprint; a second use migrates nothing.
    const shown = await cli(['keys', 'show', 'legacy-pw', '--reveal'], home);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(PASSWORD));
    const again = JSON.parse((await cli(['audit', '--json', '--limit', '0'], home)).stdout) as { entries: { action: string }[] };
    assert.deepEqual(
      again.entries.map((e) => e.action),
      ['migrate-fingerprints', 'reveal'],
    );
  });
});
