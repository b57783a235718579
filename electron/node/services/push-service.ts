// Pushing keys to cloud secret stores: targets, the plan (from fingerprints, never values), the write with its
// idempotency token, read-back and fingerprint check after every write, inventory records, one audit line per
// write, promotion of staged versions, and drift status. Used by the CLI, the IPC handlers and push jobs alike.
import { KeyturnError, type ErrorCode } from '../../../shared/domain/errors.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import { mergeBundle } from '../../../shared/push/bundle-json.js';
import { planItem, type PlanItem, type PushPlan } from '../../../shared/push/push-plan.js';
import { assertSecretSize, utf8Length } from '../../../shared/push/size-limits.js';
import type { Target } from '../../../shared/push/targets.js';
import { cloudDeadlineErrors } from '../cloud/cloud-errors.js';
import type { TargetFactory } from '../cloud/create-target.js';
import { setOfflineSetting, type OfflineSwitch } from '../cloud/offline-switch.js';
import type { SecretTarget } from '../cloud/secret-target.js';
import { mapLimit } from '../envcheck/map-limit.js';
import { deadline } from '../lib/deadline.js';
import type { HomeStore } from '../store/home-store.js';
import type { TargetsStore } from '../store/targets-file.js';
import { createAudited } from './audited.js';
import { observeRemote, type Fingerprinter } from './push-remote.js';
import {
  auditTarget,
  contentTypeFor,
  groupSecrets,
  planInputs,
  requestToken,
  resolveMembers,
  tagsFor,
  type SecretGroup,
} from './push-secrets.js';
import { createCloudCall, SERVICE_NAMES } from './push-cloud-call.js';
import { promoteStaged } from './push-promote.js';
import { pushStatus } from './push-status.js';
import { verifyWrite } from './push-verify.js';
import type {
  ConfirmedPlan,
  OfflineMode,
  PromoteResult,
  PushItemResult,
  PushOutcome,
  PushRequest,
  PushResult,
  PushStatusReport,
  TargetTestResult,
} from '../../../shared/push/push-types.js';
import type { VaultService } from './vault-service.js';

export type {
  PushRequest,
  PushResult,
  PushItemResult,
  ConfirmedPlan,
  TargetTestResult,
  PromoteResult,
} from '../../../shared/push/push-types.js';

export interface PushProgress {
  done: number;
  total: number;
  secret: string;
  outcome: PushOutcome;
}

export interface PushOptions {
  signal?: AbortSignal | undefined;
  /** The plan the user confirmed: a secret whose plan changed since is not written. */
  confirmed?: ConfirmedPlan;
  onProgress?: (progress: PushProgress) => void;
  /** Awaited after each secret settles (a job commits its checkpoint here); a throw stops the push. */
  afterItem?: (result: PushItemResult) => Promise<void>;
}

export interface PushService {
  listTargets(): Promise<Target[]>;
  showTarget(name: string): Promise<Target>;
  addTarget(target: Target, options?: { replace?: boolean; signal?: AbortSignal }): Promise<Target>;
  removeTarget(name: string, signal?: AbortSignal): Promise<void>;
  /** One read-only call, bounded by testTimeoutMs (10 s). */
  testTarget(name: string, signal?: AbortSignal): Promise<TargetTestResult>;
  plan(request: PushRequest, signal?: AbortSignal): Promise<PushPlan>;
  push(request: PushRequest, options?: PushOptions): Promise<PushResult>;
  /** Makes each key's staged (pending) push at the target current. */
  promote(request: { target: string; keys: KeyRef[] }, signal?: AbortSignal): Promise<PromoteResult>;
  status(request?: { target?: string }, signal?: AbortSignal): Promise<PushStatusReport>;
  /** Offline mode: KEYTURN_OFFLINE or the app's saved switch. */
  offlineMode(): Promise<OfflineMode>;
  /** Saves the app's switch (KEYTURN_OFFLINE still wins when set). */
  setOfflineMode(offline: boolean): Promise<OfflineMode>;
}

export interface PushServiceDeps {
  vault: VaultService;
  targets: TargetsStore;
  createTarget: TargetFactory;
  home: HomeStore;
  fingerprint: Fingerprinter;
  offline: OfflineSwitch;
  /** Longest one cloud call may take, retries included, in ms (default 30 s). */
  callTimeoutMs?: number;
  /** `targets test` answers within this (default 10 s). */
  testTimeoutMs?: number;
  /** Secrets read at once for a plan or a status (default 8). */
  concurrency?: number;
  /** Secrets written at once by a push (default 4). */
  writeConcurrency?: number;
  now?: () => Date;
}

/** Failures that would repeat for every other secret: stop the push there. */
const STOP: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'offline',
  'no-credentials',
  'unreachable',
  'tls-failure',
  'timeout',
  'cancelled',
  'throttled',
]);
const DAY_MS = 86_400_000;

interface Observed {
  group: SecretGroup;
  item: PlanItem;
  /** The remote value, kept in memory for a bundle merge only. */
  remoteText?: string;
}

export function createPushService(deps: PushServiceDeps): PushService {
  const { vault, targets, createTarget, fingerprint } = deps;
  const callTimeoutMs = deps.callTimeoutMs ?? 30_000;
  const concurrency = deps.concurrency ?? 8;
  const writeConcurrency = deps.writeConcurrency ?? 4;
  const now = deps.now ?? (() => new Date());
  const audited = createAudited(deps.home);

  const call = createCloudCall(callTimeoutMs);

  function checkRequest(target: Target, request: PushRequest): void {
    if (request.expiresInDays !== undefined) {
      if (target.kind === 'aws')
        throw new KeyturnError('usage', 'AWS Secrets Manager secrets have no expiry date; --expires-in applies to Azure targets only.');
      if (!Number.isInteger(request.expiresInDays) || request.expiresInDays < 1 || request.expiresInDays > 3650)
        throw new KeyturnError('usage', '--expires-in is a whole number of days from 1 to 3650.');
    }
    if (request.stage === 'pending' && target.kind === 'azure')
      throw new KeyturnError('usage', 'Azure Key Vault has no staging labels; --stage pending applies to AWS targets only.');
  }

  async function observe(
    target: Target,
    client: SecretTarget,
    group: SecretGroup,
    request: PushRequest,
    signal?: AbortSignal,
  ): Promise<Observed> {
    const reading = await call(target, signal, (s) => client.read(group.secret, { signal: s }));
    const kinds = new Map(group.members.filter((m) => m.field !== undefined).map((m) => [m.field!, m.record.kind]));
    const remote = await observeRemote(reading, { bundle: group.bundle, kinds, kind: group.members[0]!.record.kind }, fingerprint);
    const item = planItem({
      secret: group.secret,
      ...(group.mappedFrom !== undefined ? { mappedFrom: group.mappedFrom } : {}),
      bundle: group.bundle,
      stage: request.stage ?? 'current',
      inputs: planInputs(target.name, group),
      remote,
      ...(request.recover ? { recover: true } : {}),
      ...(request.force ? { force: true } : {}),
    });
    return { group, item, ...(group.bundle && reading.state === 'present' ? { remoteText: reading.version.value } : {}) };
  }

  async function prepare(request: PushRequest, signal?: AbortSignal) {
    const target = await targets.get(request.target);
    checkRequest(target, request);
    const groups = groupSecrets(target, resolveMembers(await vault.list(), request.keys), request);
    const client = createTarget(target);
    const observed = await mapLimit(groups, concurrency, (g) => observe(target, client, g, request, signal));
    return { target, client, observed };
  }

  async function record(target: Target, o: Observed, versionId: string, signal?: AbortSignal): Promise<void> {
    await vault.recordPushes(
      o.group.members.map((m) => ({
        name: m.record.name,
        version: m.version.version,
        push: {
          target: target.name,
          secret: o.group.secret,
          ...(m.field !== undefined ? { field: m.field } : {}),
          remoteVersion: versionId,
          stage: o.item.stage,
          at: now().toISOString(),
        },
      })),
      signal,
    );
  }

  async function write(target: Target, client: SecretTarget, o: Observed, request: PushRequest, signal?: AbortSignal) {
    const { group, item } = o;
    const where = auditTarget(target.name, group.secret);
    const single = group.members.length === 1 ? group.members[0]! : undefined;
    const event = {
      action: 'push' as const,
      key: group.members.map((m) => m.record.name).join(','),
      ...(single ? { version: single.version.version } : {}),
      target: where,
      outcome: 'ok' as const,
    };
    return audited(
      event,
      async () => {
        const values = new Map<string, string>();
        for (const m of group.members) {
          const { value } = await vault.reveal(
            { name: m.record.name, version: m.version.version },
            { reason: 'use', target: where, signal },
          );
          values.set(m.record.name, value);
        }
        const payload = group.bundle
          ? mergeBundle(o.remoteText, new Map(group.members.map((m) => [m.field!, values.get(m.record.name)!])))
          : values.get(single!.record.name)!;
        assertSecretSize(target.kind, group.secret, utf8Length(payload));
        if (item.recover) await call(target, signal, (s) => client.recover(group.secret, s));
        const issued = now();
        const written = await call(target, signal, (s) =>
          client.write({
            secret: group.secret,
            value: payload,
            requestToken: requestToken(target.name, group, item.remoteVersion),
            tags: tagsFor(group),
            create: item.action === 'create',
            stage: item.stage,
            ...(target.kind === 'azure' ? { contentType: contentTypeFor(group) } : {}),
            ...(request.description ? { description: request.description } : {}),
            ...(request.expiresInDays ? { notBefore: issued, expiresOn: new Date(issued.getTime() + request.expiresInDays * DAY_MS) } : {}),
            signal: s,
          }),
        );
        const bound = deadline(callTimeoutMs * 3, signal, cloudDeadlineErrors(SERVICE_NAMES[target.kind]));
        try {
          await verifyWrite(
            { call, fingerprint },
            { target, client, group, stage: item.stage, versionId: written.versionId, payload },
            bound.signal,
          );
        } finally {
          bound.dispose();
        }
        await record(target, o, written.versionId, signal);
        return written;
      },
      { lock: false, signal },
    );
  }

  function outcomeOf(o: Observed, outcome: PushOutcome, extra: Partial<PushItemResult> = {}): PushItemResult {
    const { item } = o;
    return {
      secret: item.secret,
      ...(item.mappedFrom !== undefined ? { mappedFrom: item.mappedFrom } : {}),
      bundle: item.bundle,
      action: item.action,
      stage: item.stage,
      outcome,
      entries: item.entries,
      ...extra,
    };
  }

  return {
    listTargets: () => targets.list(),
    showTarget: (name) => targets.get(name),
    addTarget: (target, options) => targets.add(target, options),
    removeTarget: (name, signal) => targets.remove(name, signal),

    async testTarget(name, signal) {
      const target = await targets.get(name);
      const started = Date.now();
      const out = await call(target, signal, (s) => createTarget(target).test(s), deps.testTimeoutMs ?? 10_000);
      return { target: name, identity: out.identity, ...(out.note ? { note: out.note } : {}), ms: Date.now() - started };
    },

    async plan(request, signal) {
      const { target, observed } = await prepare(request, signal);
      return { target: target.name, items: observed.map((o) => o.item) };
    },

    async push(request, options = {}) {
      const { signal, confirmed, onProgress, afterItem } = options;
      const { target, client, observed } = await prepare(request, signal);
      let stop: KeyturnError | undefined;
      let done = 0;
      // Secrets are written a few at a time: one secret's network round trips overlap another's keychain and disk work.
      const items = await mapLimit(observed, writeConcurrency, async (o): Promise<PushItemResult> => {
        let result: PushItemResult;
        const shown = confirmed?.items.find((c) => c.secret === o.item.secret);
        if (signal?.aborted && !stop)
          stop = signal.reason instanceof KeyturnError ? signal.reason : new KeyturnError('cancelled', 'The push was cancelled.');
        if (stop) {
          const why =
            stop.code === 'cancelled'
              ? 'the push was stopped before this secret'
              : 'an earlier secret failed in a way that would repeat here';
          result = outcomeOf(o, 'skipped', { error: { code: stop.code, message: `Not tried: ${why}.` } });
        } else if (
          confirmed &&
          // Already holding exactly these versions (an interrupted earlier attempt got there) is what was confirmed.
          o.item.action !== 'unchanged' &&
          (!shown || shown.action !== o.item.action || shown.remoteVersion !== o.item.remoteVersion)
        ) {
          result = outcomeOf(o, 'failed', {
            error: {
              code: 'conflict',
              message: `${o.item.secret} changed at ${target.name} after the plan was shown (now: ${o.item.action}); nothing was written. Look at the new plan and push again.`,
            },
          });
        } else if (o.item.action === 'conflict') {
          result = outcomeOf(o, 'failed', { error: { code: o.item.code ?? 'conflict', message: o.item.reason ?? 'conflict' } });
        } else if (o.item.action === 'unchanged') {
          // Already there (pushed before, or by hand): record it so status can follow it from now on.
          const recorded = o.group.members.every((m) =>
            (m.version.pushes ?? []).some(
              (p) => p.target === target.name && p.secret === o.item.secret && p.remoteVersion === o.item.remoteVersion,
            ),
          );
          if (!recorded && o.item.remoteVersion) await record(target, o, o.item.remoteVersion, signal);
          result = outcomeOf(o, 'unchanged', { ...(o.item.remoteVersion ? { versionId: o.item.remoteVersion } : {}) });
        } else {
          try {
            const written = await write(target, client, o, request, signal);
            result = outcomeOf(o, 'written', { versionId: written.versionId, ...(written.warning ? { warning: written.warning } : {}) });
          } catch (error) {
            if (!(error instanceof KeyturnError)) throw error;
            if (STOP.has(error.code)) stop = error;
            result = outcomeOf(o, 'failed', { error: { code: error.code, message: error.message } });
          }
        }
        await afterItem?.(result);
        done += 1;
        onProgress?.({ done, total: observed.length, secret: result.secret, outcome: result.outcome });
        return result;
      });
      return { target: target.name, items, ok: items.every((i) => i.outcome === 'written' || i.outcome === 'unchanged') };
    },

    promote: (request, signal) => promoteStaged({ vault, targets, createTarget, fingerprint, call, audited, now }, request, signal),

    async offlineMode() {
      const reason = await deps.offline.reason();
      return { offline: reason !== undefined, ...(reason ? { reason } : {}) };
    },

    async setOfflineMode(offline) {
      await setOfflineSetting(deps.home.home, offline);
      const reason = await deps.offline.reason();
      return { offline: reason !== undefined, ...(reason ? { reason } : {}) };
    },

    status: (request = {}, signal) =>
      pushStatus(
        { vault, targets, createTarget, fingerprint, concurrency, call, ...(request.target ? { target: request.target } : {}) },
        signal,
      ),
  };
}
