// `keyturn generate KIND --name NAME --store`: generate straight into the OS keychain. Prints name, version and
// fingerprint; the value only when a --format is asked for explicitly (then stdout holds just the value).
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { compose } from '../../node/compose.js';
import { renderKey } from '../../node/crypto/render-key.js';
import { writeJson, type CliIo } from '../run-action.js';
import { planGenerate, type GenerateCliOptions } from './generate.js';
import { keychainConfigFrom } from './timeout-option.js';
import { labelsFrom } from './vault-action.js';

export interface StoreCliOptions {
  name?: string;
  store?: boolean;
  addVersion?: boolean;
  tag?: string[];
  notes?: string;
}

/** True when the command asks to store; checks that --name and --store come together. */
export function wantsStore(opts: StoreCliOptions): boolean {
  if (opts.store && !opts.name)
    throw new KeyturnError('usage', '--store needs --name NAME: the name the key is kept under in the keychain.');
  if (!opts.store && (opts.name !== undefined || opts.addVersion || opts.tag || opts.notes !== undefined)) {
    throw new KeyturnError(
      'usage',
      '--name, --add-version, --tag and --notes go with --store; add --store to keep the key in the OS keychain.',
    );
  }
  return opts.store === true;
}

export async function runGenerateStore(
  kind: string,
  opts: GenerateCliOptions & StoreCliOptions,
  io: CliIo,
  command: Command,
): Promise<void> {
  if (opts.json && opts.format !== undefined)
    throw new KeyturnError('usage', 'With --store, --json prints the stored metadata; --format prints the value. Choose one.');
  const explicit = opts.format !== undefined;
  // With --store, --env-var is the inventory's hint; it also names the variable when --format env is asked for.
  const plan = planGenerate(kind, { ...opts, json: false, ...(explicit && opts.format === 'env' ? {} : { envVar: undefined }) });
  const services = compose({ config: keychainConfigFrom(command) });
  const { record, version, key } = await services.vault.generateAndStore({
    name: opts.name!,
    options: plan.request,
    addVersion: opts.addVersion === true,
    ...labelsFrom(opts as Record<string, unknown>),
  });
  const fingerprint = record.versions.find((v) => v.version === version)!.fingerprint;
  const summary = `Stored ${record.name}@v${version} (${record.kind}${record.alg ? ` ${record.alg}` : ''}, fingerprint ${fingerprint}) in the OS keychain; env var hint ${record.envVar ?? '-'}.\n`;
  if (explicit) {
    io.stdout.write(await renderKey(key, plan.format, plan.envVar !== undefined ? { envVar: plan.envVar } : {}));
    io.stderr.write(summary);
  } else if (opts.json) {
    writeJson(io, { name: record.name, version, fingerprint, key: record });
  } else {
    io.stdout.write(summary);
  }
}
