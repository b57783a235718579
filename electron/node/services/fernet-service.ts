// The Fernet key ring: which keys encrypt and which still decrypt, from the OS keychain (audited reads) or from
// environment variables. The CLI's `fernet` commands use it today; re-encryption and rotation plans use it next.
import { isEnvVarName } from '../../../shared/domain/env-var-name.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { parseKeyRef } from '../../../shared/domain/key-names.js';
import { Fernet, MultiFernet } from '../crypto/fernet.js';
import type { VaultService } from './vault-service.js';

/** Where the keys come from: stored keys (`NAME` or `NAME@vN`, comma-separated) or environment variables. */
export interface FernetKeySource {
  /** Stored keys that encrypt (the first) and decrypt. A bare NAME stands for its current and retiring versions. */
  key?: string;
  /** Stored keys being retired: they decrypt, never encrypt. */
  oldKey?: string;
  /** An environment variable holding one key or a "new,old" list (first encrypts), as Airflow's FERNET_KEY. */
  keyEnv?: string;
  oldKeyEnv?: string;
}

export interface FernetKeyRing {
  /** Newest first: the first key encrypts; any of them decrypts. */
  current: Fernet[];
  /** Keys being retired: they decrypt, never encrypt. */
  old: Fernet[];
  /** All of them: encrypts with the first, decrypts and rotates with any. */
  multi: MultiFernet;
}

export interface KeyRingOptions {
  /** What the keys are used for, recorded as the audit line's target ("fernet rotate", "reencrypt job ..."). */
  purpose: string;
  /** Encrypting needs only the first key: the retiring versions of a bare NAME then stay in the keychain. */
  encryptOnly?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** One key of a ring as text, for work that hands keys to worker threads (re-encryption); never printed or stored. */
export interface LabelledFernetKey {
  /** Where it came from, for reports and job files: "pii-enc-key@v2", "env NEW_KEY", "env OLD_KEYS #2". */
  label: string;
  value: string;
}

export interface FernetService {
  keyRing(source: FernetKeySource, options: KeyRingOptions): Promise<FernetKeyRing>;
  /** The same ring as keyRing, as labelled key texts: `current` first (its first key encrypts), then `old`. */
  keyTexts(source: FernetKeySource, options: KeyRingOptions): Promise<{ current: LabelledFernetKey[]; old: LabelledFernetKey[] }>;
}

/** Reads a comma-separated list of Fernet keys from an environment variable; errors name the variable, never the key. */
function keysFromEnv(name: string, flag: string, env: NodeJS.ProcessEnv): LabelledFernetKey[] {
  if (!isEnvVarName(name))
    throw new KeyturnError('invalid-input', `${flag} takes the NAME of an environment variable (letters, digits, _), not a key.`);
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new KeyturnError(
      'invalid-input',
      `Environment variable ${name} is not set or is empty; export the Fernet key in it (e.g. ${name}=$(keyturn generate fernet)).`,
    );
  }
  const items = value.split(',').map((item) => item.trim());
  return items.map((item, i) => {
    try {
      new Fernet(item);
      return { label: items.length > 1 ? `env ${name} #${i + 1}` : `env ${name}`, value: item };
    } catch (error) {
      if (!(error instanceof KeyturnError)) throw error;
      const which = items.length > 1 ? ` (key ${i + 1} of ${items.length})` : '';
      // The engine's sentence never contains the key; keep only its reason and say where the key came from.
      throw new KeyturnError(
        'invalid-key',
        `The key in ${name}${which} is not usable: ${error.message.replace(/^The Fernet key is not usable: /, '')}`,
      );
    }
  });
}

export function createFernetService(deps: { vault: VaultService }): FernetService {
  const { vault } = deps;

  /** Versions a reference stands for: NAME@vN exactly that one; NAME the current, then retiring ones, newest first. */
  async function versionsOf(ref: string): Promise<{ name: string; versions: number[] }> {
    const { name, version } = parseKeyRef(ref.trim());
    const record = await vault.show(name);
    if (record.kind !== 'fernet')
      throw new KeyturnError('invalid-key', `${name} is a ${record.kind} key, not a Fernet key; pick a key stored with kind fernet.`);
    if (version !== undefined) return { name, versions: [version] };
    const retiring = record.versions
      .filter((v) => v.status === 'retiring')
      .map((v) => v.version)
      .sort((a, b) => b - a);
    return { name, versions: [record.current, ...retiring] };
  }

  async function fromVault(refs: string, options: KeyRingOptions, firstOnly: boolean): Promise<LabelledFernetKey[]> {
    const keys: LabelledFernetKey[] = [];
    for (const ref of refs.split(',')) {
      const { name, versions } = await versionsOf(ref);
      for (const version of firstOnly ? versions.slice(0, 1) : versions) {
        const { value } = await vault.reveal({ name, version }, { reason: 'use', target: options.purpose, signal: options.signal });
        keys.push({ label: `${name}@v${version}`, value });
      }
    }
    return keys;
  }

  async function keyTexts(
    source: FernetKeySource,
    options: KeyRingOptions,
  ): Promise<{ current: LabelledFernetKey[]; old: LabelledFernetKey[] }> {
    if (source.key !== undefined && source.keyEnv !== undefined)
      throw new KeyturnError('usage', 'Give the key with --key NAME or with --key-env VAR, not both.');
    if (source.keyEnv === undefined && source.key === undefined) {
      throw new KeyturnError(
        'usage',
        'Give the key with --key NAME (a Fernet key stored in the OS keychain) or --key-env VAR (an environment variable holding it).',
      );
    }
    const env = options.env ?? process.env;
    const current =
      source.key !== undefined
        ? await fromVault(source.key, options, options.encryptOnly === true)
        : keysFromEnv(source.keyEnv!, '--key-env', env);
    const old = [
      ...(source.oldKey === undefined ? [] : await fromVault(source.oldKey, options, false)),
      ...(source.oldKeyEnv === undefined ? [] : keysFromEnv(source.oldKeyEnv, '--old-key-env', env)),
    ];
    return { current, old };
  }

  return {
    keyTexts,
    async keyRing(source, options) {
      const texts = await keyTexts(source, options);
      const current = texts.current.map((k) => new Fernet(k.value));
      const old = texts.old.map((k) => new Fernet(k.value));
      return { current, old, multi: new MultiFernet([...current, ...old]) };
    },
  };
}
