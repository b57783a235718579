// `keyturn keys list|show|rotate|retire|delete|import|status`: the keys in the OS keychain and their inventory.
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { KEY_KINDS, isKeyKind, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { parseKeyRef } from '../../../shared/domain/key-names.js';
import type { SetExitCode } from '../program.js';
import { EXIT_FAILED, writeJson } from '../run-action.js';
import { formatKey, formatKeyList, formatStatus } from './keys-format.js';
import { TIMEOUT_HELP } from './timeout-option.js';
import { serviceAction } from '../service-action.js';
import { collect, labelsFrom } from './vault-action.js';

function parseVersion(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const s = String(text).replace(/^v/, '');
  if (!/^[1-9][0-9]{0,8}$/.test(s))
    throw new KeyturnError('usage', `--version takes a version number such as 2 (got "${String(text).slice(0, 20)}").`);
  return Number(s);
}

function parseKind(text: unknown): KeyKind | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  if (!isKeyKind(s)) throw new KeyturnError('usage', `--kind takes one of ${KEY_KINDS.join(', ')}.`);
  return s;
}

export function registerKeysCommand(program: Command, setExitCode: SetExitCode): void {
  const keys = program
    .command('keys')
    .description('List, show, rotate, retire, delete and import the keys Keyturn keeps in the OS keychain.');

  keys
    .command('list')
    .description('List stored keys (from the inventory; no keychain access, no values).')
    .option('--json', 'print JSON')
    .action(
      serviceAction(setExitCode, async ({ services, io }) => {
        const list = await services.vault.list();
        if (io.json) writeJson(io, { keys: list });
        else io.stdout.write(formatKeyList(list));
      }),
    );

  keys
    .command('show <name>')
    .description('Show a key and its versions; --reveal also prints the value (and records that in the audit log).')
    .option('--reveal', 'print the secret value')
    .option('--version <n>', 'which version to reveal (default: current); NAME@vN works too')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .action(
      serviceAction(setExitCode, async ({ services, io, opts, args }) => {
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
      }),
    );

  keys
    .command('rotate <name>')
    .description('Add a new version of the same kind and make it current; the old one stays, marked retiring.')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .action(
      serviceAction(setExitCode, async ({ services, io, args }) => {
        const { record, version } = await services.vault.rotate(args[0]!);
        const added = record.versions.find((v) => v.version === version)!;
        if (io.json) writeJson(io, { key: record, version });
        else
          io.stdout.write(
            `Rotated ${record.name}: v${version} is current (fingerprint ${added.fingerprint}); earlier versions are retiring until you retire them.\n`,
          );
      }),
    );

  keys
    .command('retire <name>')
    .description('Delete an old version from the keychain (never the current one); asks for --yes.')
    .requiredOption('--version <n>', 'the version to retire')
    .option('--yes', 'confirm: the version is deleted from the keychain for good')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .action(
      serviceAction(setExitCode, async ({ services, io, opts, args }) => {
        const version = parseVersion(opts.version)!;
        const record = await services.vault.retire(args[0]!, version, opts.yes === true);
        if (io.json) writeJson(io, { key: record, retired: version });
        else io.stdout.write(`Retired ${record.name}@v${version}: deleted from the keychain; its metadata stays in the inventory.\n`);
      }),
    );

  keys
    .command('delete <name>')
    .description('Delete a key and all its versions from the keychain and the inventory; asks for --yes.')
    .option('--yes', 'confirm: every version is deleted for good')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .action(
      serviceAction(setExitCode, async ({ services, io, opts, args }) => {
        await services.vault.delete(args[0]!, opts.yes === true);
        if (io.json) writeJson(io, { deleted: args[0] });
        else io.stdout.write(`Deleted ${args[0]} and all its versions.\n`);
      }),
    );

  keys
    .command('import <name>')
    .description('Move a key from a .env file into the keychain (the file is not changed; remove the value from it yourself).')
    .requiredOption('--from-env <file>', 'the .env file to read')
    .requiredOption('--var <variable>', 'the variable that holds the key')
    .option('--kind <kind>', `what the key is (${KEY_KINDS.join(', ')}); guessed when left out`)
    .option('--add-version', 'add it as a new version of an existing key')
    .option('--env-var <var>', 'env-var hint to record (default: the variable name)')
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .option('--notes <text>', 'a note to keep with the key')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .action(
      serviceAction(setExitCode, async ({ services, io, opts, args }) => {
        const kind = parseKind(opts.kind);
        const { record, version } = await services.vault.importFromEnv({
          name: args[0]!,
          file: String(opts.fromEnv),
          variable: String(opts.var),
          ...(kind ? { kind } : {}),
          addVersion: opts.addVersion === true,
          ...labelsFrom(opts),
        });
        const added = record.versions.find((v) => v.version === version)!;
        if (io.json) writeJson(io, { key: record, version });
        else io.stdout.write(`Imported ${record.name}@v${version} (${record.kind}, fingerprint ${added.fingerprint}) into the keychain.\n`);
      }),
    );

  keys
    .command('status')
    .description('Say whether the OS keychain is ok, locked or unavailable, and what to do (exit 1 unless ok).')
    .option('--json', 'print JSON')
    .option('--timeout <seconds>', TIMEOUT_HELP)
    .action(
      serviceAction(setExitCode, async ({ services, io }) => {
        const status = await services.vault.status();
        if (io.json) writeJson(io, status);
        else io.stdout.write(formatStatus(status));
        return status.state === 'ok' ? 0 : EXIT_FAILED;
      }),
    );
}
