// The escrow use cases behind EscrowService (escrow-service.ts declares it and loads this file on first use): create,
// add a version, verify, restore, rekey; no network, no value in any audit line.
import { lstat, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { EscrowRestoreResult, EscrowSetSummary } from '../../../shared/domain/escrow.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import {
  PUBLIC_MODE,
  PRIVATE_MODE,
  bundleFileName,
  locateBundle,
  manifestFileName,
  manifestText,
  replaceManifest,
  sha256Hex,
  writeNew,
  type LocatedBundle,
} from '../escrow/bundle-files.js';
import { escrowFingerprint, MANIFEST_FORMAT, metaOf, type EscrowKey, type Manifest } from '../escrow/bundle-model.js';
import { custodiansFor, type CustodianSpec } from '../escrow/custodians.js';
import { openBundle, type OpenedBundle } from '../escrow/open-bundle.js';
import { newBundleId, newFingerprintKey, newShareSet, payloadOf, sealPayload } from '../escrow/seal-set.js';
import { readShares } from '../escrow/share-input.js';
import { checkSetSize } from '../escrow/share-set.js';
import { writeShareSheets } from '../escrow/share-sheets.js';
import { importKeys } from './escrow-import.js';
import type { EscrowDeps, EscrowService, OpenInput, SetInput } from './escrow-service-types.js';

const keyList = (keys: { name: string; version: number }[]): string => keys.map((k) => `${k.name}@v${k.version}`).join(',');
const custodianList = (s: { custodians: { name: string }[] }): string => s.custodians.map((c) => c.name).join(',');
const summary = (s: Manifest['set']): EscrowSetSummary => ({
  set: s.set,
  threshold: s.threshold,
  shares: s.shares,
  created: s.created,
  custodians: s.custodians.map((c) => ({ index: c.index, name: c.name, encrypted: c.recipient !== undefined })),
});

function custodiansOf(input: SetInput): CustodianSpec[] {
  const custodians = custodiansFor(input.custodians ?? [], input.shareCount);
  checkSetSize(input.threshold, custodians.length);
  return custodians;
}

/** Removes what an action wrote before it failed, so a failed create or rekey leaves no half bundle behind. */
async function undo(paths: string[]): Promise<void> {
  for (const path of paths.reverse()) await rm(path, { force: true }).catch(() => undefined);
}

export function escrowUseCases(deps: EscrowDeps): EscrowService {
  const { vault, audited, clock } = deps;
  // Escrow actions call the vault, which takes the KEYTURN_HOME lock itself: their own line is appended unlocked.
  const audit = <T>(event: AuditEvent, signal: AbortSignal | undefined, work: (note: (f: Partial<AuditEvent>) => void) => Promise<T>) =>
    audited(event, (ctx) => work(ctx.note), { lock: false, ...(signal ? { signal } : {}) });

  async function readKeys(refs: KeyRef[], bundleId: string, fingerprintKey: string, signal?: AbortSignal): Promise<EscrowKey[]> {
    if (refs.length === 0) throw new KeyturnError('invalid-input', 'Name at least one key to escrow (--keys a,b@v2).');
    const names = new Set(refs.map((r) => r.name));
    if (names.size !== refs.length)
      throw new KeyturnError('invalid-input', 'A key is named twice; a bundle holds one version of each key.');
    const keys: EscrowKey[] = [];
    for (const ref of refs) {
      const record = await vault.show(ref.name);
      const revealed = await vault.reveal(ref, { reason: 'use', target: `escrow:${bundleId}`, ...(signal ? { signal } : {}) });
      const entry = record.versions.find((v) => v.version === revealed.version)!;
      keys.push({
        name: record.name,
        version: revealed.version,
        kind: record.kind,
        ...(record.alg ? { alg: record.alg } : {}),
        fingerprint: escrowFingerprint(fingerprintKey, record.kind, revealed.value),
        created: entry.created,
        value: revealed.value,
      });
    }
    return keys;
  }

  async function open(located: LocatedBundle, input: OpenInput, versions: number | 'all' | undefined): Promise<OpenedBundle> {
    return openBundle(located, {
      sources: input.shares,
      ...(input.identities ? { identities: input.identities } : {}),
      ...(versions !== undefined ? { versions } : {}),
    });
  }

  return {
    async create(input) {
      const custodians = custodiansOf(input);
      const bundleId = newBundleId();
      const dir = resolve(input.outDir);
      const event: AuditEvent = {
        action: 'escrow-create',
        key: `escrow:${bundleId}`,
        target: join(dir, manifestFileName(bundleId)),
        outcome: 'ok',
      };
      return audit(event, input.signal, async (note) => {
        // Until the keys are read their versions may be unknown: the line names what was asked for.
        const asked = input.keys.map((k) => (k.version ? `${k.name}@v${k.version}` : k.name)).join(',');
        note({ detail: `set 1 ${input.threshold}-of-${custodians.length}; keys ${asked}; custodians ${custodianList({ custodians })}` });
        const fingerprintKey = newFingerprintKey();
        const keys = await readKeys(input.keys, bundleId, fingerprintKey, input.signal);
        const metas = keys.map(metaOf);
        note({
          detail: `v1 set 1 ${input.threshold}-of-${custodians.length}; keys ${keyList(metas)}; custodians ${custodianList({ custodians })}`,
        });
        const created = clock();
        const set = await newShareSet({ bundleId, set: 1, threshold: input.threshold, custodians, created });
        const payload = payloadOf(bundleId, 1, created, keys, fingerprintKey);
        const sealed = await sealPayload(payload, set.record.recipient, set.identity);
        const bundleFile = join(dir, bundleFileName(bundleId, 1, 1));
        const manifest: Manifest = {
          format: MANIFEST_FORMAT,
          bundleId,
          created: created.toISOString(),
          set: set.record,
          voidedSets: [],
          versions: [
            { version: 1, created: created.toISOString(), file: bundleFileName(bundleId, 1, 1), sha256: sha256Hex(sealed), keys: metas },
          ],
        };
        const written: string[] = [];
        try {
          await writeNew(bundleFile, sealed, PUBLIC_MODE);
          written.push(bundleFile);
          const sheets = await writeShareSheets(
            { bundleDir: dir, bundleId, set: set.record, shares: set.shares, keys: metas, created },
            written,
          );
          // The manifest last: a bundle folder without one is an unfinished create, never mistaken for a bundle.
          const manifestPath = join(dir, manifestFileName(bundleId));
          await writeNew(manifestPath, manifestText(manifest), PUBLIC_MODE);
          return { bundleId, manifest: manifestPath, bundleFile, set: summary(set.record), keys: metas, sheets };
        } catch (error) {
          await undo(written);
          throw error;
        }
      });
    },

    async addVersion(input) {
      const located = await locateBundle(input.bundle);
      const { manifest } = located;
      const latest = manifest.versions.at(-1)!;
      const version = latest.version + 1;
      const event: AuditEvent = {
        action: 'escrow-add-version',
        key: `escrow:${manifest.bundleId}`,
        target: located.manifestPath,
        outcome: 'ok',
      };
      return audit(event, input.signal, async (note) => {
        // By default the same keys, each at its current keychain version: what a rotation needs escrowed next.
        const refs = input.keys ?? latest.keys.map((k) => ({ name: k.name }));
        const fingerprintKey = newFingerprintKey();
        const keys = await readKeys(refs, manifest.bundleId, fingerprintKey, input.signal);
        const metas = keys.map(metaOf);
        note({ detail: `v${version} set ${manifest.set.set}; keys ${keyList(metas)}; custodians ${custodianList(manifest.set)}` });
        const created = clock();
        // Sealed to the set's public key: no share is needed to add a version, and the same shares open it.
        const sealed = await sealPayload(payloadOf(manifest.bundleId, version, created, keys, fingerprintKey), manifest.set.recipient);
        const file = bundleFileName(manifest.bundleId, version, manifest.set.set);
        const bundleFile = join(located.dir, file);
        await writeNew(bundleFile, sealed, PUBLIC_MODE);
        try {
          const next: Manifest = {
            ...manifest,
            versions: [...manifest.versions, { version, created: created.toISOString(), file, sha256: sha256Hex(sealed), keys: metas }],
          };
          await replaceManifest(located.manifestPath, next);
        } catch (error) {
          await undo([bundleFile]);
          throw error;
        }
        return { bundleId: manifest.bundleId, version, bundleFile, keys: metas };
      });
    },

    async verify(input) {
      const located = await locateBundle(input.bundle);
      const { manifest } = located;
      const event: AuditEvent = {
        action: 'escrow-verify',
        key: `escrow:${manifest.bundleId}`,
        target: located.manifestPath,
        outcome: 'ok',
      };
      return audit(event, input.signal, async (note) => {
        note({ detail: `set ${manifest.set.set}; versions ${manifest.versions.map((v) => `v${v.version}`).join(',')}` });
        const opened = await open(located, input, 'all');
        const used = opened.used.map((i) => manifest.set.custodians.find((c) => c.index === i)?.name ?? `share ${i}`);
        note({
          detail: `set ${manifest.set.set}; versions ${manifest.versions.map((v) => `v${v.version}`).join(',')}; keys ${keyList(manifest.versions.at(-1)!.keys)}; shares of ${used.join(',')}`,
        });
        return {
          bundleId: manifest.bundleId,
          set: manifest.set.set,
          threshold: manifest.set.threshold,
          used: opened.used,
          rejected: opened.rejected,
          versions: opened.versions.map((v) => ({ version: v.version, keys: v.checks })),
        };
      });
    },

    async restore(input) {
      if (!input.import && !input.outFile && !input.identityOut)
        throw new KeyturnError(
          'usage',
          'Say where the restored keys go: --import (new versions in the keychain), --out FILE (a new 0600 file), or --identity-out FILE (the age identity, for age -d).',
        );
      const located = await locateBundle(input.bundle);
      const { manifest } = located;
      const event: AuditEvent = {
        action: 'escrow-restore',
        key: `escrow:${manifest.bundleId}`,
        target: located.manifestPath,
        outcome: 'ok',
      };
      return audit(event, input.signal, async (note) => {
        // Refuse taken file names before the shares are combined, so nothing is half written.
        for (const path of [input.outFile, input.identityOut]) {
          if (path !== undefined && (await lstat(resolve(path)).catch(() => undefined)))
            throw new KeyturnError('already-exists', `${resolve(path)} already exists; Keyturn never overwrites it. Choose another name.`);
        }
        const opened = await open(located, input, input.version);
        const { version, payload } = opened.versions[0]!;
        const where = [
          input.import ? 'keychain' : '',
          input.outFile ? `file ${input.outFile}` : '',
          input.identityOut ? `identity file ${input.identityOut}` : '',
        ]
          .filter(Boolean)
          .join(' and ');
        note({ detail: `v${version} set ${manifest.set.set}; keys ${keyList(payload.keys)}; to ${where}` });
        const result: EscrowRestoreResult = { bundleId: manifest.bundleId, version, keys: [], rejected: opened.rejected };
        // Files first: they are new files and fail cleanly when the name is taken, before the keychain changes.
        if (input.identityOut) {
          const text = `# Keyturn escrow bundle ${manifest.bundleId}, share set ${manifest.set.set}, restored ${clock().toISOString()}\n# public key: ${manifest.set.recipient}\n${opened.identity}\n`;
          await writeNew(resolve(input.identityOut), text, PRIVATE_MODE);
          result.identityOut = resolve(input.identityOut);
        }
        if (input.outFile) {
          const doc = {
            format: 'keyturn-escrow-restore/1',
            bundleId: manifest.bundleId,
            version,
            restored: clock().toISOString(),
            keys: payload.keys,
          };
          await writeNew(resolve(input.outFile), JSON.stringify(doc, null, 2) + '\n', PRIVATE_MODE);
          result.outFile = resolve(input.outFile);
          result.keys = payload.keys.map((k) => ({ name: k.name, version: k.version, fingerprint: k.fingerprint, outcome: 'written' }));
        }
        if (input.import) result.keys = await importKeys(vault, payload.keys, input.signal);
        return result;
      });
    },

    async rekey(input) {
      const located = await locateBundle(input.bundle);
      const { manifest } = located;
      const custodians = custodiansOf(input);
      const event: AuditEvent = { action: 'escrow-rekey', key: `escrow:${manifest.bundleId}`, target: located.manifestPath, outcome: 'ok' };
      return audit(event, input.signal, async (note) => {
        const next = manifest.set.set + 1;
        note({
          detail: `set ${manifest.set.set} (${custodianList(manifest.set)}) -> set ${next} ${input.threshold}-of-${custodians.length} (${custodianList({ custodians })})`,
        });
        const opened = await open(located, input, 'all');
        const created = clock();
        const set = await newShareSet({ bundleId: manifest.bundleId, set: next, threshold: input.threshold, custodians, created });
        const written: string[] = [];
        try {
          const versions: Manifest['versions'] = [];
          for (const v of opened.versions) {
            const entry = manifest.versions.find((e) => e.version === v.version)!;
            const sealed = await sealPayload(v.payload, set.record.recipient, set.identity);
            const file = bundleFileName(manifest.bundleId, v.version, next);
            await writeNew(join(located.dir, file), sealed, PUBLIC_MODE);
            written.push(join(located.dir, file));
            versions.push({ ...entry, file, sha256: sha256Hex(sealed) });
          }
          const keys = manifest.versions.at(-1)!.keys;
          const sheets = await writeShareSheets(
            { bundleDir: located.dir, bundleId: manifest.bundleId, set: set.record, shares: set.shares, keys, created },
            written,
          );
          const voidedAt = clock().toISOString();
          const updated: Manifest = {
            ...manifest,
            set: set.record,
            voidedSets: [...manifest.voidedSets, { ...manifest.set, voidedAt, replacedBy: next }],
            versions,
          };
          // The commit point: from here the new set opens the bundle and the old one is void.
          await replaceManifest(located.manifestPath, updated);
          // The old files open with the old shares; removing them is what makes the void real in this folder.
          // (Also those of earlier voided sets, should an interrupted rekey have left any.)
          for (const voided of updated.voidedSets)
            for (const v of manifest.versions)
              await rm(join(located.dir, bundleFileName(manifest.bundleId, v.version, voided.set)), { force: true });
          note({
            detail: `set ${manifest.set.set} (${custodianList(manifest.set)}) void -> set ${next} ${input.threshold}-of-${custodians.length} (${custodianList({ custodians })}); versions ${versions.map((v) => `v${v.version}`).join(',')}`,
          });
          return {
            bundleId: manifest.bundleId,
            set: summary(set.record),
            voided: { ...summary(manifest.set), voidedAt },
            versions: versions.map((v) => v.version),
            sheets,
            rejected: opened.rejected,
          };
        } catch (error) {
          await undo(written);
          throw error;
        }
      });
    },

    async readShare(source) {
      const { given, unreadable } = await readShares([source]);
      if (given[0]) return { share: given[0].share, label: given[0].label };
      const reason = unreadable[0]?.reason ?? 'it could not be read';
      throw new KeyturnError('invalid-share', `This share cannot be used: ${reason}.`);
    },

    async inspect(bundle) {
      const { manifest, manifestPath } = await locateBundle(bundle);
      return {
        bundleId: manifest.bundleId,
        created: manifest.created,
        manifest: manifestPath,
        set: summary(manifest.set),
        voidedSets: manifest.voidedSets.map((v) => ({ ...summary(v), voidedAt: v.voidedAt, replacedBy: v.replacedBy })),
        versions: manifest.versions.map(({ version, created, file, keys }) => ({ version, created, file, keys })),
      };
    },
  };
}
