// `keyturn keys list|show|rotate|retire|delete|import|status`: the keys in the OS keychain and their inventory.
import type { Command } from 'commander';
import { KEY_KINDS } from '../../../shared/domain/key-kinds.js';
import { parseKeyRef } from '../../../shared/domain/key-names.js';
import { defineCommand, type CliContext } from '../command.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { KEY_EXPORT_FORMATS } from '../../node/services/key-export-service.js';
import { collect, labelsFrom, parseChoice, parseVersion, str, withAddVersionHint } from '../options.js';
import { EXIT_FAILED, write, writeJson } from '../output.js';
import { formatKey, formatKeyList, formatStatus } from './keys-format.js';
import { registerKeyRotationCommands } from './keys-rotation.js';

export function registerKeysCommand(program: Command, cli: CliContext): void {
  const keys = program
    .command('keys')
    .description(
      'List, show, rotate, retire, revert, delete and import the keys Keyturn keeps in the OS keychain; set their rotation policy.',
    );

  defineCommand(keys, cli, {
    name: 'list',
    description: 'List stored keys (from the inventory; no keychain access, no values).',
    json: true,
    async run({ services, io }) {
      const list = await services.vault.list();
      if (io.json) writeJson(io, { keys: list });
      else io.stdout.write(formatKeyList(list));
    },
  });

  defineCommand(keys, cli, {
    name: 'show <name>',
    description: 'Show a key and its versions; --reveal also prints the value (and records that in the audit log).',
    options: [
      ['--reveal', 'print the secret value'],
      ['--version <n>', 'which version to reveal (default: current); NAME@vN works too'],
      ['--format <format>', 'see `keyturn keys export` (show prints metadata)'],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      if (opts.format !== undefined)
        throw new KeyturnError(
          'usage',
          `keys show prints metadata; for a ${String(opts.format).slice(0, 10)} export use \`keyturn keys export ${args[0]} --format ${String(opts.format).slice(0, 10)}\`.`,
        );
      const ref = parseKeyRef(args[0]!);
      const record = await services.vault.show(ref.name);
      if (opts.reveal !== true) {
        if (io.json) writeJson(io, { key: record });
        else io.stdout.write(formatKey(record));
        return;
      }
      const version = parseVersion(opts.version) ?? ref.version;
      const revealed = await services.vault.reveal({ name: ref.name, ...(version ? { version } : {}) }, { reason: 'reveal' });
      if (io.json) writeJson(io, { key: record, revealed });
      else io.stdout.write(`${revealed.value}\n`);
    },
  });

  defineCommand(keys, cli, {
    name: 'export <name>',
    description:
      'Print a stored key as an env line, PEM, JWK or JWKS; --all-versions: a JWKS of every live version (each its own kid) or a "new,old" env list.',
    options: [
      ['--format <format>', `${KEY_EXPORT_FORMATS.join(', ')}`],
      ['--version <n>', 'which version (default: current); NAME@vN works too'],
      ['--all-versions', 'every version not yet retired, current first (with --format jwks or env)'],
      ['--env-var <var>', "the variable name of an env line (default: the key's env-var hint)"],
    ],
    json: true,
    keychain: true,
    examples: [
      '  keyturn keys export api-signing --all-versions --format jwks > jwks.json   publish both kids during the overlap',
      '  keyturn keys export pii-enc-key@v2 --format env',
    ].join('\n'),
    async run({ services, io, opts, args }) {
      const format = parseChoice(opts.format, '--format', KEY_EXPORT_FORMATS);
      if (!format) throw new KeyturnError('usage', `keys export needs --format ${KEY_EXPORT_FORMATS.join('|')}.`);
      const ref = parseKeyRef(args[0]!);
      const version = parseVersion(opts.version) ?? ref.version;
      const envVar = str(opts.envVar);
      const result = await services.keyExport.export({
        ref: { name: ref.name, ...(version ? { version } : {}) },
        allVersions: opts.allVersions === true,
        format,
        ...(envVar ? { envVar } : {}),
      });
      if (io.json) writeJson(io, { name: ref.name, versions: result.versions, format, secret: result.secret, text: result.text });
      else await write(io.stdout, result.text);
    },
  });

  defineCommand(keys, cli, {
    name: 'rotate <name>',
    description: 'Add a new version of the same kind and make it current; the old one stays, marked retiring.',
    json: true,
    keychain: true,
    async run({ services, io, args }) {
      const { record, version } = await services.vault.rotate(args[0]!);
      const added = record.versions.find((v) => v.version === version)!;
      if (io.json) writeJson(io, { key: record, version });
      else
        io.stdout.write(
          `Rotated ${record.name}: v${version} is current (fingerprint ${added.fingerprint}); earlier versions are retiring until you retire them.\n`,
        );
    },
  });

  defineCommand(keys, cli, {
    name: 'retire <name>',
    description: 'Delete an old version from the keychain (never the current one); asks for --yes.',
    required: [['--version <n>', 'the version to retire']],
    options: [['--yes', 'confirm: the version is deleted from the keychain for good']],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      const version = parseVersion(opts.version)!;
      const record = await services.vault.retire(args[0]!, version, opts.yes === true);
      if (io.json) writeJson(io, { key: record, retired: version });
      else io.stdout.write(`Retired ${record.name}@v${version}: deleted from the keychain; its metadata stays in the inventory.\n`);
    },
  });

  defineCommand(keys, cli, {
    name: 'delete <name>',
    description: 'Delete a key and all its versions from the keychain and the inventory; asks for --yes.',
    options: [['--yes', 'confirm: every version is deleted for good']],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      await services.vault.delete(args[0]!, opts.yes === true);
      if (io.json) writeJson(io, { deleted: args[0] });
      else io.stdout.write(`Deleted ${args[0]} and all its versions.\n`);
    },
  });

  defineCommand(keys, cli, {
    name: 'import <name>',
    description:
      'Move a key from a .env file into the keychain after checking it is a key of its type (the file is not changed; remove the value from it yourself).',
    required: [
      ['--from-env <file>', 'the .env file to read'],
      ['--var <variable>', 'the variable that holds the key'],
    ],
    options: [
      ['--type <type>', `what the key is (${KEY_KINDS.join(', ')}); inferred from the value when left out, and shown`],
      ['--kind <type>', 'the same as --type'],
      ['--add-version', 'add it as a new version of an existing key'],
      ['--env-var <var>', 'env-var hint to record (default: the variable name)'],
      ['--tag <tag>', 'a tag (repeatable)', collect],
      ['--notes <text>', 'a note to keep with the key'],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      const kind = parseChoice(opts.type, '--type', KEY_KINDS) ?? parseChoice(opts.kind, '--kind', KEY_KINDS);
      const { record, version, alsoStoredAs, warning } = await withAddVersionHint(
        services.vault.importFromEnv({
          name: args[0]!,
          file: String(opts.fromEnv),
          variable: String(opts.var),
          ...(kind ? { kind } : {}),
          addVersion: opts.addVersion === true,
          ...labelsFrom(opts),
        }),
      );
      const added = record.versions.find((v) => v.version === version)!;
      const others = alsoStoredAs.filter((m) => !(m.name === record.name && m.version === version));
      if (warning) io.stderr.write(`keyturn: warning: ${warning}\n`);
      if (others.length > 0)
        io.stderr.write(
          `keyturn: warning: this value is also stored as ${others.map((m) => `${m.name}@v${m.version}`).join(', ')}; one key kept under two names is rotated, retired and audited twice.\n`,
        );
      if (io.json)
        writeJson(io, {
          key: record,
          version,
          type: record.kind,
          inferred: kind === undefined,
          alsoStoredAs: others,
          ...(warning ? { warning } : {}),
        });
      else
        io.stdout.write(
          `Imported ${record.name}@v${version} as a ${record.kind} key (${kind ? 'as given' : 'inferred from the value; --type sets it'}), fingerprint ${added.fingerprint}.\n`,
        );
    },
  });

  defineCommand(keys, cli, {
    name: 'status',
    description: 'Say whether the OS keychain is ok, locked or unavailable, and what to do (exit 1 unless ok).',
    json: true,
    keychain: true,
    async run({ services, io }) {
      const status = await services.vault.status();
      if (io.json) writeJson(io, status);
      else io.stdout.write(formatStatus(status));
      return status.state === 'ok' ? 0 : EXIT_FAILED;
    },
  });

  registerKeyRotationCommands(keys, cli);
}
