// Turns `keyturn generate` options (strings, as commander hands them over) into a request and an output choice.
import { KeyturnError } from '../../../shared/domain/errors.js';
import { OUTPUT_FORMATS, type GenerateRequest, type OutputFormat } from '../../../shared/domain/generated-key.js';
import { KEY_KINDS, isKeyKind } from '../../../shared/domain/key-kinds.js';
import { parseChoice, parseCount, str } from '../options.js';

export interface GeneratePlan {
  request: GenerateRequest;
  format: OutputFormat;
  envVar?: string;
  /** --name NAME --store: keep the key in the OS keychain. */
  store?: { name: string; addVersion: boolean };
  /** With --store, the value is printed only when a --format is asked for explicitly. */
  printValue: boolean;
}

export function planGenerate(kind: string, opts: Record<string, unknown>): GeneratePlan {
  if (!isKeyKind(kind))
    throw new KeyturnError(
      'invalid-input',
      `Unknown key kind ${JSON.stringify(kind.slice(0, 40))}; choose one of ${KEY_KINDS.join(', ')}.`,
    );
  const store = opts.store === true;
  const name = str(opts.name);
  if (store && !name) throw new KeyturnError('usage', '--store needs --name NAME: the name the key is kept under in the keychain.');
  if (!store && (name !== undefined || opts.addVersion || opts.tag || opts.notes !== undefined)) {
    throw new KeyturnError(
      'usage',
      '--name, --add-version, --tag and --notes go with --store; add --store to keep the key in the OS keychain.',
    );
  }
  const explicit = parseChoice(opts.format, '--format', OUTPUT_FORMATS);
  const envVar = str(opts.envVar);
  if (store && opts.json === true && explicit !== undefined) {
    throw new KeyturnError('usage', 'With --store, --json prints the stored metadata; --format prints the value. Choose one.');
  }
  let format: OutputFormat = explicit ?? (envVar !== undefined && !store ? 'env' : 'text');
  if (opts.json === true && !store) {
    if (explicit !== undefined && explicit !== 'json')
      throw new KeyturnError('usage', '--json prints the JSON document; leave out --format or use --format json.');
    format = 'json';
  }
  // With --store, --env-var is the inventory's hint; it names the variable only when --format env is asked for.
  const namesVariable = envVar !== undefined && format === 'env';
  if (envVar !== undefined && !namesVariable && !store)
    throw new KeyturnError('usage', '--env-var names the variable of --format env; leave it out for other formats.');
  const bits = parseCount(opts.bits, '--bits');
  const bytes = parseCount(opts.bytes, '--bytes');
  return {
    request: {
      kind,
      ...(str(opts.alg) !== undefined ? { alg: str(opts.alg)! } : {}),
      ...(bits !== undefined ? { bits } : {}),
      ...(bytes !== undefined ? { bytes } : {}),
    },
    format,
    ...(namesVariable ? { envVar } : {}),
    ...(store ? { store: { name: name!, addVersion: opts.addVersion === true } } : {}),
    printValue: !store || explicit !== undefined,
  };
}
