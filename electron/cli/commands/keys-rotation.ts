// `keyturn keys policy` and `keyturn keys revert`: a key's rotation policy, and the rollback of a rotation.
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { parseVersion } from '../options.js';
import { defineCommand, type CliContext } from '../command.js';
import { writeJson } from '../output.js';
import { formatPolicy } from './rotate-format.js';

export function registerKeyRotationCommands(keys: Command, cli: CliContext): void {
  defineCommand(keys, cli, {
    name: 'policy <name>',
    description: 'Show or set how often a key must be rotated (default per kind: Fernet 180d, JWT HMAC and secrets 90d, key pairs 180d).',
    options: [
      ['--max-age <duration>', 'rotate this often: 90d, 12w, 36h'],
      ['--warn <duration>', 'show the key as due soon this long before (default 14d or 30d by kind)'],
      ['--default', "go back to the default for the key's kind"],
    ],
    json: true,
    examples: '  keyturn keys policy pii-enc-key --max-age 90d --warn 14d\n  keyturn keys policy jwt-secret-key',
    async run({ services, io, opts, args }) {
      const name = args[0]!;
      const maxAge = typeof opts.maxAge === 'string' ? opts.maxAge : undefined;
      const warn = typeof opts.warn === 'string' ? opts.warn : undefined;
      if (opts.default === true && (maxAge || warn))
        throw new KeyturnError('usage', '--default goes back to the default; leave out --max-age and --warn.');
      let policy = await services.rotation.policy(name);
      if (opts.default === true) policy = await services.rotation.setPolicy(name, null);
      else if (maxAge || warn)
        policy = await services.rotation.setPolicy(name, { maxAge: maxAge ?? policy.maxAge, ...(warn ? { warn } : {}) });
      const report = await services.rotation.due();
      const due = report.entries.find((e) => e.key === name);
      if (io.json) writeJson(io, { policy, due });
      else io.stdout.write(formatPolicy(policy, due, report.now));
    },
  });

  defineCommand(keys, cli, {
    name: 'revert <name>',
    description: 'Make an earlier, still stored version current again (the rollback of a rotation); newer versions stay, retiring.',
    required: [['--to-version <n>', 'the version to make current']],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      let version: number;
      try {
        version = parseVersion(opts.toVersion)!;
      } catch {
        throw new KeyturnError('usage', '--to-version takes a version number such as 1.');
      }
      const record = await services.vault.revert(args[0]!, version);
      if (io.json) writeJson(io, { key: record });
      else {
        const newer = record.versions.filter((v) => v.version > version && v.status === 'retiring').map((v) => `v${v.version}`);
        io.stdout.write(
          `${record.name}@v${version} is current again.${newer.length > 0 ? ` ${newer.join(', ')} stay in the keychain, retiring; retire them with: keyturn keys retire ${record.name} --version N --yes` : ''}\n`,
        );
      }
    },
  });
}
