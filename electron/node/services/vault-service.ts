// The vault: keys live in the OS keychain as `<name>@v<version>`, their metadata in the inventory, every action in the
// audit log. Versions are only ever added or retired, never overwritten; a value that does not come back as the
// inventory describes it is reported as locked or changed outside Keyturn, never as absent.
import type { AuditAction, AuditEvent } from '../../../shared/domain/audit.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isEnvVarName } from '../../../shared/domain/env-var-name.js';
import type { GeneratedKey, GenerateRequest } from '../../../shared/domain/generated-key.js';
import type { Inventory, KeyRecord, KeyVersionRecord, PushRecord, ValueMatch } from '../../../shared/domain/inventory.js';
import { isAsymmetric, isKeyKind, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { accountFor, assertKeyName, type KeyRef } from '../../../shared/domain/key-names.js';
import { keyedFingerprint, publicFingerprintOf } from '../crypto/fingerprint.js';
import { lowEntropyReason } from '../crypto/value-entropy.js';
import { KEYCHAIN_DEADLINE_ERRORS } from '../keychain/keychain-errors.js';
import { deadline } from '../lib/deadline.js';
import { createAudited, type AuditedWork } from './audited.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';
import type { Keychain } from '../keychain/keychain.js';
import type { HomeStore } from '../store/home-store.js';
import { inferKind, readEnvVariable } from './env-import.js';
import { fingerprintKeyId, loadFingerprintKey, migrateFingerprints, needsFingerprintMigration } from './fingerprint-key.js';
import { assertRemakeable, cannotRemake, checkKeyValue, needsValueCheck } from './import-rules.js';
import { createValueIndex, type ValueIndex } from './value-index.js';
import type { KeyCrypto } from './key-crypto.js';
import {
  checkLabels,
  envVarHint,
  findVersion,
  nextVersion,
  notFound,
  regenOptions,
  withCurrent,
  withNewVersion,
  type Labels,
} from './vault-rules.js';

/** Why a value leaves the keychain; each is its own audit action. `use` feeds an operation inside Keyturn. */
export type RevealReason = 'reveal' | 'copy' | 'export' | 'use';

export interface RevealOptions {
  reason: RevealReason;
  signal?: AbortSignal | undefined;
  /** What the value is for or where it goes (a command, a file, a cloud secret), for the audit line. */
  target?: string | undefined;
}

export interface RevealedKey {
  name: string;
  version: number;
  value: string;
}

export interface StoreInput extends Labels {
  name: string;
  key: GeneratedKey;
  addVersion?: boolean;
  /** Where else the value went (the .env file `env fix` wrote it to), for the audit line. */
  target?: string;
}

export interface VaultService {
  status(signal?: AbortSignal): Promise<KeychainStatus>;
  list(): Promise<KeyRecord[]>;
  show(name: string): Promise<KeyRecord>;
  store(input: StoreInput, signal?: AbortSignal): Promise<{ record: KeyRecord; version: number }>;
  generateAndStore(
    input: Labels & { name: string; options: GenerateRequest; addVersion?: boolean },
    signal?: AbortSignal,
  ): Promise<{ record: KeyRecord; version: number; key: GeneratedKey }>;
  /** The value of one version (default: current), after checking its fingerprint; every call leaves an audit line. */
  reveal(ref: KeyRef, options: RevealOptions): Promise<RevealedKey>;
  rotate(name: string, signal?: AbortSignal): Promise<{ record: KeyRecord; version: number }>;
  retire(name: string, version: number, confirm: boolean, signal?: AbortSignal): Promise<KeyRecord>;
  /** Makes an earlier, still stored version current again (the rollback of a rotation); newer versions stay, retiring. */
  revert(name: string, version: number, signal?: AbortSignal): Promise<KeyRecord>;
  delete(name: string, confirm: boolean, signal?: AbortSignal): Promise<void>;
  /**
   * Stores a variable of a .env file after checking it is a key of its kind Keyturn could have generated (a URL, a
   * password, a published example or a weak value is refused). `alsoStoredAs` names other keys that hold the value.
   */
  importFromEnv(
    input: Labels & { name: string; file: string; variable: string; kind?: KeyKind; addVersion?: boolean },
    signal?: AbortSignal,
  ): Promise<{ record: KeyRecord; version: number; alsoStoredAs: ValueMatch[]; warning?: string }>;
  /**
   * The fingerprint a stored version of this value has in the inventory (`KeyVersionRecord.fingerprint`): compare it
   * to tell whether a value read elsewhere (a cloud secret, a restored share) is that version. Keyed with this
   * installation's key, so it matches only fingerprints made here; `publicFingerprint` is the cross-machine form.
   */
  fingerprint(kind: KeyKind, value: string, signal?: AbortSignal): Promise<string>;
  /**
   * Finds stored versions by value through the inventory's keyed fingerprints; reads no key's keychain entry (only
   * the fingerprint key, and not even that while the inventory is empty).
   */
  valueIndex(signal?: AbortSignal): Promise<ValueIndex>;
  /**
   * Records verified pushes in the inventory, one write for all: a record for the same target, secret and field
   * replaces the older one. No audit line here: the push service writes one per cloud write.
   */
  recordPushes(pushes: PushedVersion[], signal?: AbortSignal): Promise<void>;
}

/** Where one key version was pushed, for recordPushes. */
export interface PushedVersion {
  name: string;
  version: number;
  push: PushRecord;
}

export interface VaultDeps {
  home: HomeStore;
  keychain: Keychain;
  crypto: KeyCrypto;
  /** Longest all keychain calls of one operation may take together, in ms. */
  timeoutMs: number;
  now?: () => Date;
  /** Refuses (throws) retiring a version that unfinished work still needs, e.g. a re-encryption job. */
  retireGuard?: (name: string, version: number) => Promise<void>;
}

interface Commit extends Labels {
  action: AuditAction;
  name: string;
  kind: KeyKind;
  alg?: string;
  secret: string;
  addVersion: boolean;
  target?: string;
  origin: 'generated' | 'imported';
}

/** The variable a key came from is the natural hint, when it is a name shells accept. */
function importedHint(variable: string, name: string): string {
  return isEnvVarName(variable) ? variable : envVarHint(name);
}

export function createVaultService(deps: VaultDeps): VaultService {
  const { home, keychain, crypto, timeoutMs } = deps;
  const now = deps.now ?? (() => new Date());

  async function record(name: string, inventory?: Inventory): Promise<KeyRecord> {
    const found = (inventory ?? (await home.readInventory())).keys.find((k) => k.name === name);
    if (!found) throw notFound(name);
    return found;
  }

  const audit = createAudited(home);

  /** The installation key once loaded and checked against the inventory; a process loads it once. */
  let fingerprintKey: Buffer | undefined;

  /**
   * Under the lock: the inventory, migrated to keyed fingerprints first if it still holds unkeyed ones (audited once;
   * the `.bak` is rewritten too so no old digest survives), and the installation key (created on first use).
   */
  /**
   * A stored version's value, read from the keychain and checked against the inventory's keyed fingerprint: a missing
   * entry is reported as locked or missing, an altered one as changed outside Keyturn (`then` says what to do).
   */
  async function checkedValue(rec: KeyRecord, entry: KeyVersionRecord, key: Buffer, kc: AbortSignal, then: string): Promise<string> {
    const account = accountFor(rec.name, entry.version);
    const value = await keychain.get(account, kc);
    if (value === null) throw await missing(account, kc);
    const seen = await Promise.resolve()
      .then(async () => keyedFingerprint(key, await crypto.fingerprint(rec.kind, value)))
      .catch(() => '');
    if (seen !== entry.fingerprint)
      throw new KeyturnError(
        'changed-outside',
        `The keychain entry ${account} no longer matches the fingerprint in the inventory: it was changed outside Keyturn. ${then}`,
      );
    return value;
  }

  async function keyedInventory(kc: AbortSignal): Promise<{ inventory: Inventory; key: Buffer }> {
    const inventory = await home.readInventory();
    const key = fingerprintKey ?? (await loadFingerprintKey(keychain, inventory, kc));
    fingerprintKey = key;
    if (!needsFingerprintMigration(inventory) && inventory.fingerprintKey?.id === fingerprintKeyId(key)) return { inventory, key };
    const generated = new Set(
      (await home.audit.entries())
        .filter((e) => (e.action === 'generate' || e.action === 'rotate') && e.outcome === 'ok' && e.version !== undefined)
        .map((e) => `${e.key}@v${e.version}`),
    );
    const migration = migrateFingerprints(inventory, key, generated);
    await home.writeInventory(migration.inventory);
    await home.writeInventory(migration.inventory); // the second write makes inventory.json.bak the migrated one too
    if (migration.keyed > 0) {
      await home.audit.appendUnlocked({
        action: 'migrate-fingerprints',
        key: 'inventory',
        outcome: 'ok',
        detail: `fingerprints of ${migration.keyed} version${migration.keyed === 1 ? '' : 's'} keyed; ${migration.publicKept} generated by Keyturn kept a public form`,
      });
    }
    return { inventory: migration.inventory, key };
  }
  /** keyedInventory for callers outside an audited action: under the KEYTURN_HOME lock, within the keychain deadline. */
  async function keyedInventoryLocked(signal?: AbortSignal): Promise<{ inventory: Inventory; key: Buffer }> {
    const bound = deadline(timeoutMs, signal, KEYCHAIN_DEADLINE_ERRORS);
    try {
      return await home.locked(() => keyedInventory(bound.signal), bound.signal);
    } finally {
      bound.dispose();
    }
  }

  /** `keys list` and `show` migrate an old inventory too, but a locked or absent keychain must not stop a listing. */
  async function migrateQuietly(): Promise<void> {
    if (!needsFingerprintMigration(await home.readInventory())) return;
    const bound = deadline(timeoutMs, undefined, KEYCHAIN_DEADLINE_ERRORS);
    try {
      await home.locked(() => keyedInventory(bound.signal));
    } catch (error) {
      if (!(error instanceof KeyturnError)) throw error;
    } finally {
      bound.dispose();
    }
  }
  /** Under the home lock, with one keychain deadline for every keychain call the action makes. */
  function audited<T>(
    event: AuditEvent,
    signal: AbortSignal | undefined,
    work: (kc: AbortSignal, note: AuditedWork['note']) => Promise<T>,
  ): Promise<T> {
    return audit(event, (ctx) => work(ctx.signal, ctx.note), { signal, deadline: { ms: timeoutMs, errors: KEYCHAIN_DEADLINE_ERRORS } });
  }

  /** Why the keychain returned nothing for a version the inventory lists: locked, unavailable, or changed outside. */
  async function missing(account: string, signal: AbortSignal): Promise<KeyturnError> {
    const status = await keychain.status(signal);
    if (status.state === 'ok') {
      return new KeyturnError(
        'changed-outside',
        `The keychain has no entry ${account} although the inventory lists it: it was removed or changed outside Keyturn. Restore it from a backup, or rotate the key to replace it.`,
      );
    }
    if (status.code === 'keychain-locked' || status.state === 'locked') {
      return new KeyturnError(
        'keychain-locked',
        `Keyturn cannot read ${account}: the keyring is locked or the entry was changed outside Keyturn. Unlock the keyring and try again.`,
      );
    }
    return new KeyturnError(status.code ?? 'keychain-unavailable', status.message);
  }

  async function commit(input: Commit, signal?: AbortSignal): Promise<{ record: KeyRecord; version: number }> {
    assertKeyName(input.name);
    const labels = checkLabels(input, input.secret);
    if (input.secret.length === 0) throw new KeyturnError('invalid-key', 'The key is empty; there is nothing to store.');
    const publicForm = await crypto.fingerprint(input.kind, input.secret);
    const publicFingerprint = publicFingerprintOf(input.kind, input.secret);
    const described = await crypto.describe(input.kind, input.secret);
    const alg = input.alg ?? described.alg;
    const event: AuditEvent = { action: input.action, key: input.name, outcome: 'ok', ...(input.target ? { target: input.target } : {}) };
    return audited(event, signal, async (kc, note) => {
      const { inventory, key } = await keyedInventory(kc);
      const existing = inventory.keys.find((k) => k.name === input.name);
      if (existing && !input.addVersion) {
        throw new KeyturnError(
          'already-exists',
          `A key named ${input.name} already exists (current v${existing.current}); store this one as a new version of it, or choose another name.`,
          { names: [input.name] },
        );
      }
      if (existing && existing.kind !== input.kind) {
        throw new KeyturnError(
          'refused',
          `${input.name} holds ${existing.kind} keys; a new version must be a ${existing.kind} key too. Store this one under another name.`,
        );
      }
      if (existing?.alg && alg && existing.alg !== alg) {
        throw new KeyturnError(
          'refused',
          `${input.name} holds ${existing.alg} keys; a new version must use ${existing.alg} too, or services verifying it would break. Store this one under another name.`,
        );
      }
      const version = nextVersion(existing);
      note({ version });
      const account = accountFor(input.name, version);
      // An entry already there is not ours to replace (left by another tool, or by an older inventory).
      if (await keychain.holds(account, kc)) {
        throw new KeyturnError(
          'changed-outside',
          `The keychain already holds an entry ${account} that the inventory does not list; Keyturn never overwrites one. Check it with secret-tool or your keychain app, delete it if it is not needed, and try again.`,
        );
      }
      const chunks = await keychain.set(account, input.secret, kc);
      if ((await keychain.get(account, kc)) !== input.secret) {
        await keychain.delete(account, kc).catch(() => false);
        throw new KeyturnError(
          'io',
          `The keychain did not return the value just stored as ${account}; nothing was recorded. Check that the keyring is unlocked and writable, then try again.`,
        );
      }
      const added: KeyVersionRecord = {
        version,
        status: 'current',
        created: now().toISOString(),
        fingerprint: keyedFingerprint(key, publicForm),
        ...(publicFingerprint !== null ? { publicFingerprint } : {}),
        size: described.size,
        chunks,
        origin: input.origin,
      };
      const labelled = { ...labels, ...(existing || labels.envVar ? {} : { envVar: envVarHint(input.name) }) };
      const next: KeyRecord = existing
        ? withNewVersion(existing, added, labelled)
        : { name: input.name, kind: input.kind, ...(alg ? { alg } : {}), tags: [], ...labelled, current: version, versions: [added] };
      await home.writeInventory({ ...inventory, keys: [...inventory.keys.filter((k) => k.name !== input.name), next] });
      return { record: next, version };
    });
  }

  const service: VaultService = {
    async status(signal) {
      const bound = deadline(timeoutMs, signal, KEYCHAIN_DEADLINE_ERRORS);
      try {
        return await keychain.status(bound.signal);
      } catch (error) {
        if (!(error instanceof KeyturnError)) throw error;
        return { state: 'unavailable', code: error.code, message: error.message, backend: keychain.backend };
      } finally {
        bound.dispose();
      }
    },

    async list() {
      await migrateQuietly();
      return (await home.readInventory()).keys;
    },

    async show(name) {
      assertKeyName(name);
      await migrateQuietly();
      return record(name);
    },

    async store(input, signal) {
      if (!isKeyKind(input.key.kind)) throw new KeyturnError('invalid-key', 'The key has an unknown kind.');
      return commit(
        {
          ...input,
          action: 'store',
          kind: input.key.kind,
          ...(input.key.alg ? { alg: input.key.alg } : {}),
          secret: input.key.secret,
          addVersion: input.addVersion === true,
          origin: 'generated',
        },
        signal,
      );
    },

    async generateAndStore(input, signal) {
      assertKeyName(input.name);
      const key = await crypto.generate(input.options);
      const stored = await commit(
        {
          ...input,
          action: 'generate',
          kind: key.kind,
          ...(key.alg ? { alg: key.alg } : {}),
          secret: key.secret,
          addVersion: input.addVersion === true,
          origin: 'generated',
        },
        signal,
      );
      return { ...stored, key };
    },

    async reveal(ref, { reason, signal, target }) {
      const name = assertKeyName(ref.name);
      return audited({ action: reason, key: name, outcome: 'ok', ...(target ? { target } : {}) }, signal, async (kc, note) => {
        const { inventory, key } = await keyedInventory(kc);
        const rec = await record(name, inventory);
        const version = ref.version ?? rec.current;
        note({ version });
        const entry = findVersion(rec, version);
        if (entry.status === 'retired')
          throw new KeyturnError('not-found', `${name}@v${version} was retired and deleted from the keychain; use v${rec.current}.`);
        const value = await checkedValue(rec, entry, key, kc, 'Restore it from a backup, or rotate the key.');
        return { name, version, value };
      });
    },

    async rotate(name, signal) {
      const rec = await record(assertKeyName(name));
      const options = regenOptions(rec);
      // Only a value Keyturn could have made has a like-for-like successor (import-rules.ts says which need a look).
      if (needsValueCheck(rec)) {
        const { value } = await service.reveal({ name: rec.name }, { reason: 'use', target: 'keys rotate: checking it is a key', signal });
        assertRemakeable(rec, value);
      }
      const key = await crypto.generate(options).catch((error: unknown) => {
        throw cannotRemake(rec, error);
      });
      return commit(
        {
          action: 'rotate',
          name,
          kind: rec.kind,
          ...(key.alg ? { alg: key.alg } : {}),
          secret: key.secret,
          addVersion: true,
          origin: 'generated',
        },
        signal,
      );
    },

    async retire(name, version, confirm, signal) {
      assertKeyName(name);
      return audited({ action: 'retire', key: name, version, outcome: 'ok' }, signal, async (kc) => {
        const { inventory } = await keyedInventory(kc);
        const rec = inventory.keys.find((k) => k.name === name);
        if (!rec) throw notFound(name);
        const entry = findVersion(rec, version);
        if (version === rec.current)
          throw new KeyturnError(
            'refused',
            `${name}@v${version} is the current version; rotate first ("keyturn keys rotate ${name}"), then retire the old one.`,
          );
        if (entry.status === 'retired') throw new KeyturnError('refused', `${name}@v${version} is already retired; nothing to do.`);
        await deps.retireGuard?.(name, version);
        if (!confirm)
          throw new KeyturnError(
            'refused',
            `Retiring deletes ${name}@v${version} from the keychain for good; make sure nothing still uses it, then run again with --yes.`,
          );
        const account = accountFor(name, version);
        if (!(await keychain.delete(account, kc))) {
          // Nothing deleted: either the keyring is locked (then stop) or the entry is already gone.
          const status = await keychain.status(kc);
          if (status.state !== 'ok') throw new KeyturnError(status.code ?? 'keychain-unavailable', status.message);
        }
        const next: KeyRecord = {
          ...rec,
          versions: rec.versions.map((v) => (v.version === version ? { ...v, status: 'retired' as const } : v)),
        };
        await home.writeInventory({ ...inventory, keys: inventory.keys.map((k) => (k.name === name ? next : k)) });
        return next;
      });
    },

    async revert(name, version, signal) {
      assertKeyName(name);
      return audited({ action: 'revert', key: name, version, outcome: 'ok' }, signal, async (kc) => {
        const { inventory, key } = await keyedInventory(kc);
        const rec = inventory.keys.find((k) => k.name === name);
        if (!rec) throw notFound(name);
        const entry = findVersion(rec, version);
        if (version === rec.current) throw new KeyturnError('refused', `${name}@v${version} is already the current version.`);
        if (entry.status === 'retired')
          throw new KeyturnError('refused', `${name}@v${version} was retired and deleted from the keychain; it cannot be current again.`);
        // The version must still be there, unchanged: a rollback onto a missing or altered key would break the application.
        await checkedValue(rec, entry, key, kc, 'Nothing was changed.');
        const next = withCurrent(rec, version);
        await home.writeInventory({ ...inventory, keys: inventory.keys.map((k) => (k.name === name ? next : k)) });
        return next;
      });
    },

    async delete(name, confirm, signal) {
      assertKeyName(name);
      await audited({ action: 'delete', key: name, outcome: 'ok' }, signal, async (kc) => {
        const { inventory } = await keyedInventory(kc);
        const rec = inventory.keys.find((k) => k.name === name);
        if (!rec) throw notFound(name);
        if (!confirm)
          throw new KeyturnError(
            'refused',
            `Deleting ${name} removes all its versions from the keychain for good; run again with --yes to confirm.`,
          );
        // Check first so a locked keyring does not leave the key half deleted.
        const status = await keychain.status(kc);
        if (status.state !== 'ok') throw new KeyturnError(status.code ?? 'keychain-unavailable', status.message);
        for (const v of rec.versions) {
          if (v.status !== 'retired') await keychain.delete(accountFor(name, v.version), kc);
        }
        await home.writeInventory({ ...inventory, keys: inventory.keys.filter((k) => k.name !== name) });
      });
    },

    async importFromEnv(input, signal) {
      assertKeyName(input.name);
      const secret = await readEnvVariable(input.file, input.variable);
      const kind = input.kind ?? inferKind(secret);
      checkKeyValue(kind, secret, `${input.variable} in ${input.file}`);
      // A guessable value is imported all the same (it is what the service uses today), with a sentence saying so.
      const weak = isAsymmetric(kind) ? null : lowEntropyReason(secret);
      const alsoStoredAs = await (await service.valueIndex(signal)).find(secret);
      const stored = await commit(
        {
          ...input,
          envVar: input.envVar ?? importedHint(input.variable, input.name),
          action: 'import',
          kind,
          secret,
          addVersion: input.addVersion === true,
          target: input.file,
          origin: 'imported',
        },
        signal,
      );
      const warning = weak
        ? `The value of ${input.variable} looks guessable: ${weak}. Keyturn keeps only a keyed fingerprint of it, but anyone who can guess it can use it; replace it with a generated key (\`keyturn keys rotate ${input.name}\`) when you can.`
        : undefined;
      return { ...stored, alsoStoredAs, ...(warning ? { warning } : {}) };
    },

    async fingerprint(kind, value, signal) {
      const publicForm = await crypto.fingerprint(kind, value);
      if (isAsymmetric(kind)) return publicForm;
      if (fingerprintKey) return keyedFingerprint(fingerprintKey, publicForm);
      const { key } = await keyedInventoryLocked(signal);
      return keyedFingerprint(key, publicForm);
    },

    async valueIndex(signal) {
      const plain = await home.readInventory();
      // Nothing stored, nothing to find: a check of .env files creates no fingerprint key.
      if (plain.keys.length === 0) return createValueIndex(plain, (kind, value) => crypto.fingerprint(kind, value));
      const { inventory, key } = await keyedInventoryLocked(signal);
      return createValueIndex(inventory, async (kind, value) => keyedFingerprint(key, await crypto.fingerprint(kind, value)));
    },

    async recordPushes(pushes, signal) {
      if (pushes.length === 0) return;
      await home.locked(async () => {
        const inventory = await home.readInventory();
        const keys = inventory.keys.map((rec) => {
          const mine = pushes.filter((p) => p.name === rec.name);
          if (mine.length === 0) return rec;
          return {
            ...rec,
            versions: rec.versions.map((v) => {
              const added = mine.filter((p) => p.version === v.version).map((p) => p.push);
              if (added.length === 0) return v;
              const same = (a: PushRecord, b: PushRecord) => a.target === b.target && a.secret === b.secret && a.field === b.field;
              const kept = (v.pushes ?? []).filter((old) => !added.some((p) => same(old, p)));
              return { ...v, pushes: [...kept, ...added] };
            }),
          };
        });
        const missing = pushes.find(
          (p) => !inventory.keys.some((k) => k.name === p.name && k.versions.some((v) => v.version === p.version)),
        );
        if (missing)
          throw new KeyturnError(
            'not-found',
            `${missing.name}@v${missing.version} is no longer in the inventory; its push was not recorded.`,
          );
        await home.writeInventory({ ...inventory, keys });
      }, signal);
    },
  };
  return service;
}
