// `keyturn escrow create|verify|restore|rekey|add-version|show`: offline key escrow on the command line. Shares come
// as files (text sheets, QR scans, age-encrypted share files), on stdin (`--share -`), or typed; nothing printed here
// ever holds a key value or a share.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { parseKeyRef, type KeyRef } from '../../../shared/domain/key-names.js';
import type { ShareSource } from '../../node/escrow/share-input.js';
import { defineCommand, type CliContext } from '../command.js';
import { collect, parseCount, parseVersion, str } from '../options.js';
import { writeJson, type CliIo } from '../output.js';
import { formatCreated, formatRekeyed, formatRestored, formatBundleInfo, formatVerified } from './escrow-format.js';

/** Relative paths are the caller's folder, which main.ts restores (restoreCallerCwd) before any command runs. */
export function callerPath(path: string): string {
  return resolve(path);
}

function parseKeys(text: unknown): KeyRef[] {
  const list = String(text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0)
    throw new KeyturnError('usage', '--keys takes a comma-separated list of key names, e.g. --keys pii-enc-key,signer@v2.');
  return list.map(parseKeyRef);
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/**
 * `--share -` reads every share on stdin; a path that exists is a file; anything else is the share typed on the
 * command line, which works but stays in shell history, so the command says so.
 */
async function shareSources(values: unknown, io: CliIo): Promise<ShareSource[]> {
  const given = Array.isArray(values) ? values.map(String) : [];
  if (given.length === 0)
    throw new KeyturnError('usage', 'Give the shares with --share FILE (a sheet, scan or .age file), or --share - to read them on stdin.');
  const sources: ShareSource[] = [];
  let typed = 0;
  for (const value of given) {
    if (value === '-') {
      const { splitShareText } = await import('../../node/escrow/share-blocks.js');
      for (const text of splitShareText(await readStdin())) sources.push({ kind: 'text', text });
      continue;
    }
    const path = callerPath(value);
    const exists = await readFile(path).then(
      () => true,
      () => false,
    );
    if (exists) sources.push({ kind: 'file', path });
    else {
      sources.push({ kind: 'text', text: value });
      typed += 1;
    }
  }
  if (typed > 0)
    io.stderr.write(
      `keyturn: note: ${typed} share${typed > 1 ? 's were' : ' was'} typed on the command line, where shell history and other processes can see ${typed > 1 ? 'them' : 'it'}; prefer --share FILE or --share - (stdin).\n`,
    );
  return sources;
}

async function identities(values: unknown): Promise<string[]> {
  const files = Array.isArray(values) ? values.map(String) : [];
  const out: string[] = [];
  if (files.length === 0) return out;
  const { identitiesInFile } = await import('../../node/escrow/age-crypto.js');
  for (const file of files) {
    const path = callerPath(file);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new KeyturnError('unreadable-input', `The identity file ${path} cannot be read.`);
    });
    out.push(...identitiesInFile(text, path));
  }
  return out;
}

async function setOptions(opts: Record<string, unknown>) {
  // The escrow modules load only when an escrow command runs.
  const { parseCustodian } = await import('../../node/escrow/custodians.js');
  const custodians = Array.isArray(opts.custodian) ? opts.custodian.map((c) => parseCustodian(String(c))) : [];
  const threshold = parseCount(opts.threshold, '--threshold', 3);
  if (threshold === undefined) throw new KeyturnError('usage', '--threshold K is required: how many shares restore the bundle.');
  const shareCount = parseCount(opts.shares, '--shares', 3);
  if (shareCount === undefined && custodians.length === 0)
    throw new KeyturnError('usage', 'Say how many shares to make with --shares N, or name each custodian with --custodian NAME[=age1...].');
  return { threshold, ...(shareCount !== undefined ? { shareCount } : {}), custodians };
}

const SHARE_OPTIONS: [string, string, (value: string, previous: string[] | undefined) => string[]][] = [
  ['--share <share>', 'a share: a file (text sheet, PNG/JPEG scan of its QR code, .age share file), - for stdin, or the text', collect],
  ['--identity <file>', "a custodian's age identity file, to open shares encrypted to them (repeatable)", collect],
];
const SET_OPTIONS: [string, string, (value: string, previous: string[] | undefined) => string[]][] = [
  [
    '--custodian <name[=age1...]>',
    'a custodian, optionally with their age recipient so their share is encrypted to them (repeat for each)',
    collect,
  ],
];

export function registerEscrowCommand(program: Command, cli: CliContext): void {
  const escrow = program
    .command('escrow')
    .description('Offline key escrow: keys sealed in an age bundle whose key is split k-of-n among custodians; drills, restores, rekeys.');

  defineCommand(escrow, cli, {
    name: 'create',
    description: 'Seal keys from the keychain in a new bundle and split its key into printable share sheets.',
    required: [
      ['--keys <names>', 'comma-separated keys, each NAME or NAME@vN (default: current version)'],
      ['--out <dir>', 'folder for the bundle, its manifest and shares/ (created if missing; nothing is overwritten)'],
    ],
    options: [
      ['--threshold <k>', 'how many shares restore the bundle'],
      ['--shares <n>', 'how many shares to make (default: one per custodian)'],
      ...SET_OPTIONS,
    ],
    json: true,
    keychain: true,
    examples:
      '  keyturn escrow create --keys pii-enc-key,signer --shares 5 --threshold 3 --custodian alice --custodian bob=age1... --out ./escrow',
    async run({ services, io, opts }) {
      const result = await services.escrow.create({
        keys: parseKeys(opts.keys),
        ...(await setOptions(opts)),
        outDir: callerPath(String(opts.out)),
      });
      if (io.json) writeJson(io, result);
      else io.stdout.write(formatCreated(result));
    },
  });

  defineCommand(escrow, cli, {
    name: 'verify',
    description: 'A drill: prove that the shares restore the bundle and every key fingerprint, revealing and importing nothing.',
    required: [['--bundle <file>', "the bundle's manifest (escrow-ID.json), one of its .age files, or its folder"]],
    options: SHARE_OPTIONS,
    json: true,
    async run({ services, io, opts }) {
      const result = await services.escrow.verify({
        bundle: callerPath(String(opts.bundle)),
        shares: await shareSources(opts.share, io),
        identities: await identities(opts.identity),
      });
      if (io.json) writeJson(io, result);
      else io.stdout.write(formatVerified(result));
    },
  });

  defineCommand(escrow, cli, {
    name: 'restore',
    description: 'Restore the keys with k shares: into the keychain as new versions, or into a new 0600 file.',
    required: [['--bundle <file>', "the bundle's manifest, one of its .age files, or its folder"]],
    options: [
      ...SHARE_OPTIONS,
      ['--version <n>', 'the bundle version to restore (default: the latest)'],
      ['--import', 'store the keys in the keychain as new versions (a key already there with the same value is left as it is)'],
      ['--out <file>', 'write the keys as JSON to this new file (mode 0600; never overwrites)'],
      ['--identity-out <file>', "write the set's age identity to this new file (mode 0600), to open the bundle with age -d -i"],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts }) {
      const version = parseVersion(opts.version);
      const result = await services.escrow.restore({
        bundle: callerPath(String(opts.bundle)),
        shares: await shareSources(opts.share, io),
        identities: await identities(opts.identity),
        ...(version !== undefined ? { version } : {}),
        import: opts.import === true,
        ...(str(opts.out) ? { outFile: callerPath(str(opts.out)!) } : {}),
        ...(str(opts.identityOut) ? { identityOut: callerPath(str(opts.identityOut)!) } : {}),
      });
      if (io.json) writeJson(io, result);
      else io.stdout.write(formatRestored(result));
    },
  });

  defineCommand(escrow, cli, {
    name: 'rekey',
    description: 'With k shares of the current set, make a new k-of-n set (other custodians), prove it, then void the old set.',
    required: [['--bundle <file>', "the bundle's manifest, one of its .age files, or its folder"]],
    options: [
      ...SHARE_OPTIONS,
      ['--threshold <k>', 'how many shares of the new set restore the bundle'],
      ['--shares <n>', 'how many shares the new set has (default: one per custodian)'],
      ...SET_OPTIONS,
    ],
    json: true,
    async run({ services, io, opts }) {
      const set = await setOptions(opts);
      const result = await services.escrow.rekey({
        bundle: callerPath(String(opts.bundle)),
        shares: await shareSources(opts.share, io),
        identities: await identities(opts.identity),
        ...set,
      });
      if (io.json) writeJson(io, result);
      else io.stdout.write(formatRekeyed(result));
    },
  });

  defineCommand(escrow, cli, {
    name: 'add-version',
    description: 'Seal the current versions of the keys (e.g. after a rotation) as a new bundle version; no share is needed.',
    required: [['--bundle <file>', "the bundle's manifest, one of its .age files, or its folder"]],
    options: [['--keys <names>', "keys of the new version (default: the latest version's keys at their current versions)"]],
    json: true,
    keychain: true,
    async run({ services, io, opts }) {
      const result = await services.escrow.addVersion({
        bundle: callerPath(String(opts.bundle)),
        ...(opts.keys !== undefined ? { keys: parseKeys(opts.keys) } : {}),
      });
      if (io.json) writeJson(io, result);
      else
        io.stdout.write(
          `Added version ${result.version} to bundle ${result.bundleId}: ${result.keys.map((k) => `${k.name}@v${k.version}`).join(', ')}.\n  ${result.bundleFile}\nThe same shares open it; run a drill: keyturn escrow verify --bundle ${result.bundleFile} --share ...\n`,
        );
    },
  });

  defineCommand(escrow, cli, {
    name: 'show',
    description:
      'What a bundle holds: versions, key fingerprints, the current share set and voided ones (from the manifest; no shares needed).',
    required: [['--bundle <file>', "the bundle's manifest, one of its .age files, or its folder"]],
    json: true,
    async run({ services, io, opts }) {
      const info = await services.escrow.inspect(callerPath(String(opts.bundle)));
      if (io.json) writeJson(io, info);
      else io.stdout.write(formatBundleInfo(info));
    },
  });
}
