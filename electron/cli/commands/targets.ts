// `keyturn targets add|list|show|remove|test`: where pushed keys go (KEYTURN_HOME/targets.json). Never a credential:
// AWS uses the SDK's default chain (plus an optional profile), Azure the credential kind named here.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AZURE_CREDENTIAL_KINDS } from '../../../shared/push/targets.js';
import { defineCommand, type CliContext } from '../command.js';
import { parseChoice, str } from '../options.js';
import { writeJson } from '../output.js';
import { formatTarget, formatTargets } from './push-format.js';

const NAME = [['<name>', 'the target name (1-64 letters, digits, . _ -)']] as [string, string][];

export function registerTargetsCommand(program: Command, cli: CliContext): void {
  const targets = program
    .command('targets')
    .description('Add, list, show, remove and test push targets (AWS Secrets Manager, Azure Key Vault).');
  const add = targets.command('add').description('Add a push target: `targets add aws NAME ...` or `targets add azure NAME ...`.');

  defineCommand(add, cli, {
    name: 'aws',
    description: 'Add an AWS Secrets Manager target; credentials come from the SDK default chain, never from Keyturn.',
    arguments: NAME,
    required: [['--region <region>', 'the AWS region, e.g. eu-west-1']],
    options: [
      ['--profile <profile>', 'a profile from ~/.aws/config and ~/.aws/credentials'],
      ['--endpoint <url>', 'another endpoint (LocalStack, a VPC endpoint)'],
      ['--kms-key-id <id>', 'the KMS key new secrets are encrypted with (id, ARN or alias/NAME)'],
      ['--replace', 'replace a target of the same name'],
    ],
    json: true,
    examples:
      '  keyturn targets add aws prod --region eu-west-1\n  keyturn targets add aws local --region us-east-1 --endpoint http://localhost:4566',
    async run({ services, io, opts, args }) {
      const profile = str(opts.profile);
      const endpoint = str(opts.endpoint);
      const kmsKeyId = str(opts.kmsKeyId);
      const target = await services.push.addTarget(
        {
          kind: 'aws',
          name: args[0]!,
          region: String(opts.region),
          ...(profile !== undefined ? { profile } : {}),
          ...(endpoint !== undefined ? { endpoint } : {}),
          ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
        },
        { replace: opts.replace === true },
      );
      if (io.json) writeJson(io, { target });
      else io.stdout.write(`Added target ${target.name}. Check it with: keyturn targets test ${target.name}\n`);
    },
  });

  defineCommand(add, cli, {
    name: 'azure',
    description: 'Add an Azure Key Vault target; the credential is chosen by kind and never stored.',
    arguments: NAME,
    required: [['--vault-url <url>', 'the vault, e.g. https://NAME.vault.azure.net']],
    options: [
      ['--tenant <id>', 'the directory (tenant) id or domain'],
      ['--credential <kind>', `${AZURE_CREDENTIAL_KINDS.join(', ')} (default: default, i.e. DefaultAzureCredential)`],
      ['--authority-host <url>', 'the login host (sovereign clouds); AZURE_AUTHORITY_HOST is honoured otherwise'],
      ['--api-version <v>', "Key Vault's api-version, for endpoints that lag behind (Azure Stack Hub)"],
      ['--ca-file <file>', 'a PEM file of extra CAs to trust (a private CA or a TLS-inspecting proxy)'],
      ['--no-challenge-resource-check', 'accept a challenge for another domain (a vault reached through a custom domain)'],
      ['--replace', 'replace a target of the same name'],
    ],
    json: true,
    examples:
      '  keyturn targets add azure kv --vault-url https://resumerag-kv.vault.azure.net\n  keyturn targets add azure kv --vault-url https://kv.example.com --no-challenge-resource-check',
    async run({ services, io, opts, args }) {
      const credential = parseChoice(opts.credential, '--credential', AZURE_CREDENTIAL_KINDS) ?? 'default';
      const tenant = str(opts.tenant);
      const authorityHost = str(opts.authorityHost);
      const apiVersion = str(opts.apiVersion);
      const caFile = str(opts.caFile);
      const target = await services.push.addTarget(
        {
          kind: 'azure',
          name: args[0]!,
          vaultUrl: String(opts.vaultUrl),
          credential,
          challengeResourceCheck: opts.challengeResourceCheck !== false,
          ...(tenant !== undefined ? { tenant } : {}),
          ...(authorityHost !== undefined ? { authorityHost } : {}),
          ...(apiVersion !== undefined ? { apiVersion } : {}),
          ...(caFile !== undefined ? { caFile: resolve(process.cwd(), caFile) } : {}),
        },
        { replace: opts.replace === true },
      );
      if (io.json) writeJson(io, { target });
      else io.stdout.write(`Added target ${target.name}. Check it with: keyturn targets test ${target.name}\n`);
    },
  });

  defineCommand(targets, cli, {
    name: 'list',
    description: 'List the push targets.',
    json: true,
    async run({ services, io }) {
      const list = await services.push.listTargets();
      if (io.json) writeJson(io, { targets: list });
      else io.stdout.write(formatTargets(list));
    },
  });

  defineCommand(targets, cli, {
    name: 'show',
    description: 'Show one target.',
    arguments: NAME,
    json: true,
    async run({ services, io, args }) {
      const target = await services.push.showTarget(args[0]!);
      if (io.json) writeJson(io, { target });
      else io.stdout.write(formatTarget(target));
    },
  });

  defineCommand(targets, cli, {
    name: 'remove',
    description: 'Remove a target (secrets already pushed stay where they are).',
    arguments: NAME,
    json: true,
    async run({ services, io, args }) {
      await services.push.removeTarget(args[0]!);
      if (io.json) writeJson(io, { removed: args[0] });
      else io.stdout.write(`Removed target ${args[0]}.\n`);
    },
  });

  defineCommand(targets, cli, {
    name: 'test',
    description: 'One read-only call: is the target reachable, and who are we there? Answers within 10 s.',
    arguments: NAME,
    json: true,
    async run({ services, io, args }) {
      const out = await services.push.testTarget(args[0]!);
      if (io.json) writeJson(io, out);
      else
        io.stdout.write(
          `${out.target}: reachable, authenticated as ${out.identity} (${(out.ms / 1000).toFixed(1)} s).${out.note ? ` Note: ${out.note}` : ''}\n`,
        );
    },
  });
}
