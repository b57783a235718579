// What a plan needs to know of push targets and escrow bundles, read from Keyturn's own records: targets.json and the
// inventory's push records (where each key was pushed before), and the manifests of the escrow bundles the audit log
// says this machine made. Nothing here reads a value: only names, fields and manifests.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { EscrowBundleInfo } from '../../../shared/domain/escrow.js';
import type { KeyRecord, PushRecord } from '../../../shared/domain/inventory.js';
import { defaultSecretName } from '../../../shared/push/secret-names.js';
import type { Target } from '../../../shared/push/targets.js';
import type { EscrowFact, PushTargetInput } from '../../../shared/rotation/types.js';
import { envVarHint } from '../services/vault-rules.js';
import type { AuditLog } from '../store/audit-log.js';

/** Where a push of one key goes at one target: a bundle, a secret of its own, or the push service's default name. */
type Where = { bundle: string } | { secret: string } | { default: true };

const describe = (w: Where): string =>
  'bundle' in w ? `the bundle ${w.bundle}` : 'secret' in w ? `the secret ${w.secret}` : 'its default secret name';

const same = (a: Where, b: Where): boolean => describe(a) === describe(b);

/** The key's latest push to the target, over all its versions. */
function lastPush(record: KeyRecord, target: string): PushRecord | undefined {
  const pushes = record.versions.flatMap((v) => (v.pushes ?? []).filter((p) => p.target === target));
  return pushes.sort((a, b) => a.at.localeCompare(b.at)).at(-1);
}

/** Where the key went last time, so the plan pushes where the application reads; never pushed: the default name. */
function whereOf(record: KeyRecord, target: Target): Where {
  const last = lastPush(record, target.name);
  if (!last) return { default: true };
  if (last.field !== undefined) {
    // A bundle push fills the field named by the key's env-var hint; a hint changed since would fill another field.
    const field = record.envVar ?? envVarHint(record.name);
    if (field !== last.field)
      throw new KeyturnError(
        'refused',
        `${record.name} was pushed to field ${last.field} of ${last.secret} at ${target.name}, but a push now fills ${field} (its env-var hint); give it the hint ${last.field} again, or plan without --target ${target.name}.`,
      );
    return { bundle: last.secret };
  }
  return last.secret === defaultSecretName(target.kind, record.name) ? { default: true } : { secret: last.secret };
}

/** `https://resumerag-kv.vault.azure.net` -> `resumerag-kv`, for the `az` commands of manual steps; none for an IP. */
function vaultNameOf(vaultUrl: string): string | undefined {
  const host = new URL(vaultUrl).hostname;
  const first = host.split('.')[0]!;
  return /^[A-Za-z][A-Za-z0-9-]*$/.test(first) && host.includes('.') ? first : undefined;
}

/**
 * The plan's view of a push target for the keys planned: the same secret or bundle each key went to before. Keys that
 * went to different places cannot share one target entry in a plan, so that is refused with what to do instead.
 */
export function pushTargetInput(target: Target, keys: KeyRecord[]): PushTargetInput {
  const base: PushTargetInput = { kind: target.kind, name: target.name };
  if (target.kind === 'azure') {
    const vaultName = vaultNameOf(target.vaultUrl);
    if (vaultName) base.vaultName = vaultName;
  }
  const wheres = keys.map((k) => ({ key: k.name, where: whereOf(k, target) }));
  const first = wheres[0];
  if (!first) return base;
  const odd = wheres.find((w) => !same(w.where, first.where));
  if (odd)
    throw new KeyturnError(
      'usage',
      `At ${target.name}, ${first.key} goes to ${describe(first.where)} and ${odd.key} to ${describe(odd.where)}; plan them separately.`,
    );
  const w = first.where;
  if ('bundle' in w) return { ...base, bundle: w.bundle };
  if ('secret' in w) return { ...base, secret: w.secret };
  return base;
}

/** Looks a target up by name (not-found names the ones there are) and fits it to the keys planned. */
export function targetLookup(targets: () => { get(name: string): Promise<Target> }) {
  return async (name: string, keys: KeyRecord[]): Promise<PushTargetInput> => pushTargetInput(await targets().get(name), keys);
}

export interface EscrowLookupDeps {
  audit: () => Pick<AuditLog, 'entries'>;
  /** The escrow service's inspect: reads a manifest, never a share or a sealed value. */
  inspect: (manifest: string) => Promise<EscrowBundleInfo>;
}

/**
 * The escrow bundles made on this machine (named by their `escrow-create` audit lines) that still exist and whose
 * latest version holds a key planned. A key in several bundles is escrowed in the one changed last.
 */
export function escrowLookup(deps: EscrowLookupDeps) {
  return async (keys: string[]): Promise<EscrowFact[]> => {
    const manifests = new Set(
      (await deps.audit().entries()).filter((e) => e.action === 'escrow-create' && e.outcome === 'ok' && e.target).map((e) => e.target!),
    );
    const found: { manifest: string; changed: string; keys: Set<string> }[] = [];
    for (const manifest of manifests) {
      try {
        const info = await deps.inspect(manifest);
        const latest = info.versions.at(-1);
        if (latest) found.push({ manifest: info.manifest, changed: latest.created, keys: new Set(latest.keys.map((k) => k.name)) });
      } catch (error) {
        // A bundle moved, deleted or damaged since is not one a plan can add a version to; the others still count.
        if (!(error instanceof KeyturnError)) throw error;
      }
    }
    found.sort((a, b) => b.changed.localeCompare(a.changed));
    return keys.flatMap((key) => {
      const bundle = found.find((f) => f.keys.has(key));
      return bundle ? [{ key, bundle: bundle.manifest }] : [];
    });
  };
}
