// The vault: keys live in the OS keychain as `<name>@v<version>`, their metadata in the inventory, every action in the
// audit log. Versions are only ever added or retired, never overwritten; a value that does not come back as the
// inventory describes it is reported as locked or changed outside Keyturn, never as absent.
import type { AuditAction, AuditEvent } from '../../../shared/domain/audit.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isEnvVarName } from '../../../shared/domain/env-var-name.js';
import type { GeneratedKey, GenerateRequest } from '../../../shared/domain/generated-key.js';
import type { KeyRecord, KeyVersionRecord } from '../../../shared/domain/inventory.js';
import { isKeyKind, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { accountFor, assertKeyName, type KeyRef } from '../../../shared/domain/key-names.js';
import { KEYCHAIN_DEADLINE_ERRORS } from '../keychain/keychain-errors.js';
import { deadline } from '../lib/deadline.js';
import { createAudited, type AuditedWork } from './audited.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';
import type { Keychain } from '../keychain/keychain.js';
import type { HomeStore } from '../store/home-store.js';
import { inferKind, readEnvVariable } from './env-import.js';
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
  importFromEnv(
    input: Labels & { name: string; file: string; variable: string; kind?: KeyKind; addVersion?: boolean },
    signal?: AbortSignal,
  ): Promise<{ record: KeyRecord; version: number }>;
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
}

/** The variable a key came from is the natural hint, when it is a name shells accept. */
function importedHint(variable: string, name: string): string {
  return isEnvVarName(variable) ? variable : envVarHint(name);
}

export function createVaultService(deps: VaultDeps): VaultService {
  const { home, keychain, crypto, timeoutMs } = deps;
  const now = deps.now ?? (() => new Date());

  async function record(name: string): Promise<KeyRecord> {
    const found = (await home.readInventory()).keys.find((k) => k.name === name);
    if (!found) throw notFound(name);
    return found;
  }

  const audit = createAudited(home);
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
    const fingerprint = await crypto.fingerprint(input.kind, input.secret);
    const described = await crypto.describe(input.kind, input.secret);
    const alg = input.alg ?? described.alg;
    const event: AuditEvent = { action: input.action, key: input.name, outcome: 'ok', ...(input.target ? { target: input.target } : {}) };
    return audited(event, signal, async (kc, note) => {
      const inventory = await home.readInventory();
      const existing = inventory.keys.find((k) => k.name === input.name);
      if (existing && !input.addVersion) {
        throw new KeyturnError(
          'already-exists',
          `A key named ${input.name} already exists (current v${existing.current}); add a version with --add-version (or "keyturn keys rotate"), or choose another name.`,
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
      if ((await keychain.get(account, kc)) !== null) {
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
        fingerprint,
        size: described.size,
        chunks,
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
      return (await home.readInventory()).keys;
    },

    show: (name) => record(assertKeyName(name)),

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
        },
        signal,
      );
      return { ...stored, key };
    },

    async reveal(ref, { reason, signal, target }) {
      const name = assertKeyName(ref.name);
      return audited({ action: reason, key: name, outcome: 'ok', ...(target ? { target } : {}) }, signal, async (kc, note) => {
        const rec = await record(name);
        const version = ref.version ?? rec.current;
        note({ version });
        const entry = findVersion(rec, version);
        if (entry.status === 'retired')
          throw new KeyturnError('not-found', `${name}@v${version} was retired and deleted from the keychain; use v${rec.current}.`);
        const account = accountFor(name, version);
        const value = await keychain.get(account, kc);
        if (value === null) throw await missing(account, kc);
        const seen = await Promise.resolve()
          .then(() => crypto.fingerprint(rec.kind, value))
          .catch(() => '');
        if (seen !== entry.fingerprint) {
          throw new KeyturnError(
            'changed-outside',
            `The keychain entry ${account} no longer matches the fingerprint in the inventory: it was changed outside Keyturn. Restore it from a backup, or rotate the key.`,
          );
        }
        return { name, version, value };
      });
    },

    async rotate(name, signal) {
      const rec = await record(assertKeyName(name));
      const key = await crypto.generate(regenOptions(rec));
      return commit(
        { action: 'rotate', name, kind: rec.kind, ...(key.alg ? { alg: key.alg } : {}), secret: key.secret, addVersion: true },
        signal,
      );
    },

    async retire(name, version, confirm, signal) {
      assertKeyName(name);
      return audited({ action: 'retire', key: name, version, outcome: 'ok' }, signal, async (kc) => {
        const inventory = await home.readInventory();
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
        const inventory = await home.readInventory();
        const rec = inventory.keys.find((k) => k.name === name);
        if (!rec) throw notFound(name);
        const entry = findVersion(rec, version);
        if (version === rec.current) throw new KeyturnError('refused', `${name}@v${version} is already the current version.`);
        if (entry.status === 'retired')
          throw new KeyturnError('refused', `${name}@v${version} was retired and deleted from the keychain; it cannot be current again.`);
        // The version must still be there, unchanged: a rollback onto a missing or altered key would break the application.
        const account = accountFor(name, version);
        const value = await keychain.get(account, kc);
        if (value === null) throw await missing(account, kc);
        const seen = await Promise.resolve()
          .then(() => crypto.fingerprint(rec.kind, value))
          .catch(() => '');
        if (seen !== entry.fingerprint)
          throw new KeyturnError(
            'changed-outside',
            `The keychain entry ${account} no longer matches the fingerprint in the inventory: it was changed outside Keyturn; nothing was changed.`,
          );
        const next = withCurrent(rec, version);
        await home.writeInventory({ ...inventory, keys: inventory.keys.map((k) => (k.name === name ? next : k)) });
        return next;
      });
    },

    async delete(name, confirm, signal) {
      assertKeyName(name);
      await audited({ action: 'delete', key: name, outcome: 'ok' }, signal, async (kc) => {
        const inventory = await home.readInventory();
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
      return commit(
        {
          ...input,
          envVar: input.envVar ?? importedHint(input.variable, input.name),
          action: 'import',
          kind,
          secret,
          addVersion: input.addVersion === true,
          target: input.file,
        },
        signal,
      );
    },
  };
  return service;
}
