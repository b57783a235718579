// The rotation planner: what Keyturn knows (keys, .env facts, targets, databases, escrow) in, an ordered plan out. Pure.
import { KeyturnError } from '../domain/errors.js';
import type { KeyRecord } from '../domain/inventory.js';
import { assertKeyName } from '../domain/key-names.js';
import { keyturn } from './commands.js';
import { needsPeople } from './hands-only.js';
import { backupDbStep, backupEnvStep } from './common-steps.js';
import { describeDuration } from './durations.js';
import { FERNET_EFFECT, fernetSteps } from './fernet-plan.js';
import { overlapFor } from './lifetimes.js';
import { forcedEffect, forcedSwitchOverlap, signingMode, signingSteps } from './signing-plan.js';
import type { Draft, KeyContext } from './step-kit.js';
import type { EnvFileFacts, OverlapWindow, PlanInput, PlannedKey, PlanStep, RotationPlan, StepOp } from './types.js';

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Plain SQL identifiers only: they appear in the runbook's shell commands and in the re-encryption job's queries. */
const SQL_COLUMN = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const SQL_NAME = /^([A-Za-z_][A-Za-z0-9_$]{0,62}\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** `pii-enc-key` -> `PII_ENC_KEY`, as the vault hints it when a key has no env var recorded. */
function variableOf(record: KeyRecord): string {
  if (record.envVar && ENV_VAR.test(record.envVar)) return record.envVar;
  const upper = record.name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[0-9]/.test(upper) ? `KEY_${upper}` : upper;
}

/**
 * `2025-03-01T09:00:00.000Z`, plan `rot-1` -> `pre-rotation-20250301T0900Z-rot-1`. The plan id (unique in a Keyturn home)
 * keeps two plans made in the same minute from naming the same backup, which the second would be refused to overwrite.
 */
function stampOf(now: string, id: string): string {
  const t = new Date(now);
  if (Number.isNaN(t.getTime())) throw new KeyturnError('invalid-input', 'The plan needs a valid creation time (ISO 8601).');
  return `pre-rotation-${t.toISOString().slice(0, 16).replace(/[-:]/g, '')}Z-${id}`;
}

function checkInput(input: PlanInput): void {
  if (!PLAN_ID.test(input.id)) throw new KeyturnError('invalid-input', 'A plan id is 1-64 letters, digits, ".", "_" or "-".');
  if (input.keys.length === 0) throw new KeyturnError('usage', 'Name at least one key to rotate.');
  const names = new Set<string>();
  for (const k of input.keys) {
    assertKeyName(k.name);
    if (names.has(k.name)) throw new KeyturnError('usage', `${k.name} is named twice; name each key once.`);
    names.add(k.name);
    const live = k.versions.find((v) => v.version === k.current && v.status !== 'retired');
    if (!live) throw new KeyturnError('refused', `${k.name} has no usable current version to rotate from.`);
  }
  for (const db of input.databases ?? []) {
    if (!ENV_VAR.test(db.urlVar)) throw new KeyturnError('invalid-input', '--db-env takes a variable name such as DATABASE_URL.');
    if (db.tables.length === 0)
      throw new KeyturnError('usage', `Name the tables of ${db.urlVar} to re-encrypt with --table and --columns.`);
    for (const t of db.tables) {
      if (!SQL_NAME.test(t.table))
        throw new KeyturnError('invalid-input', 'A table is a name such as users or app.users (letters, digits, _ and $).');
      if (t.columns.length === 0) throw new KeyturnError('usage', `Name the Fernet columns of ${t.table} with --columns a,b.`);
      if (![...t.columns, ...(t.pk ? [t.pk] : [])].every((c) => SQL_COLUMN.test(c)))
        throw new KeyturnError('invalid-input', `The columns of ${t.table} are names such as email_enc (letters, digits, _ and $).`);
    }
  }
  if ((input.databases ?? []).length > 0 && !input.keys.some((k) => k.kind === 'fernet'))
    throw new KeyturnError('usage', 'Databases are re-encrypted under Fernet keys only; none of the keys named is a Fernet key.');
  for (const t of input.targets ?? []) {
    if (t.bundle && t.kind !== 'aws')
      throw new KeyturnError('usage', `${t.name} is an Azure target; bundles are AWS secrets holding a JSON object.`);
  }
}

/** The .env files that carry a key: those that name its variable (or its accepted list); all of them when none does. */
function carriers(files: EnvFileFacts[], variable: string): EnvFileFacts[] {
  const holding = files.filter((f) => f.variables.some((v) => v === variable || v.startsWith(`${variable}_`) || v === `${variable}S`));
  return holding.length > 0 ? holding : files;
}

export function planRotation(input: PlanInput): RotationPlan {
  checkInput(input);
  const stamp = stampOf(input.now, input.id);
  const envFiles = input.envFiles ?? [];
  const databases = input.databases ?? [];
  const runnable = new Set<StepOp>(input.runnable ?? []);
  const warnings: string[] = [];
  const drafts: Draft[] = [];

  // Backups come first, once each: every .env file, and every database when a Fernet key is rotated.
  for (const f of envFiles) drafts.push(backupEnvStep(f, `${f.path}.${stamp}`));
  const backupDir = (input.backupDir ?? 'backups').replace(/\/+$/, '');
  databases.forEach((db, i) => {
    const ext = db.engine === 'postgresql' ? 'dump' : db.engine === 'mysql' ? 'sql' : 'sqlite3';
    const tables = db.tables.map((t) => `${t.table} (${t.columns.join(', ')})`).join(', ');
    drafts.push(backupDbStep(db, i + 1, `${backupDir}/${db.urlVar.toLowerCase()}-${stamp}.${ext}`, tables));
  });

  const planned: PlannedKey[] = [];
  for (const record of input.keys) {
    const variable = variableOf(record);
    const to = Math.max(...record.versions.map((v) => v.version)) + 1;
    const ctx: KeyContext = {
      input,
      record,
      variable,
      from: record.current,
      to,
      envFiles: carriers(envFiles, variable),
      targets: input.targets ?? [],
      stamp,
    };
    if (envFiles.length > 0 && !envFiles.some((f) => f.variables.includes(variable)))
      warnings.push(
        `${variable} (${record.name}) is in none of the .env files given; the deploy steps write it into ${ctx.envFiles.map((f) => f.path).join(', ')}.`,
      );
    const escrowFact = (input.escrow ?? []).find((e) => e.key === record.name);
    const escrow = { exists: escrowFact !== undefined, ...(escrowFact?.bundle ? { bundle: escrowFact.bundle } : {}) };
    let overlap: OverlapWindow;
    let effects: string[];
    if (record.kind === 'fernet') {
      overlap = overlapFor('fernet', envFiles, input.overlap);
      effects = [FERNET_EFFECT];
      if (databases.length === 0)
        warnings.push(
          `No database was given for ${record.name}: the plan cannot re-encrypt or verify stored rows. Plan again with --db-env, --table and --columns.`,
        );
      drafts.push(...fernetSteps(ctx, overlap, escrow));
    } else {
      const { mode, listVar } = signingMode(ctx);
      if (mode === 'forced-switch') {
        overlap = input.overlap ? overlapFor(record.kind, envFiles, input.overlap) : forcedSwitchOverlap();
        effects = [forcedEffect(ctx)];
      } else {
        overlap = overlapFor(record.kind, envFiles, input.overlap);
        if (record.kind === 'secret' && overlap.source === 'default') overlap = sessionDefault();
        effects = [
          mode === 'jwks'
            ? `None for users: verifiers accept both kids during the overlap of ${describeDuration(overlap.ms)}.`
            : `None for users: the application accepts both secrets (${listVar}) during the overlap of ${describeDuration(overlap.ms)}.`,
        ];
      }
      if (envFiles.length === 0 && mode !== 'jwks')
        warnings.push(
          `No .env file was given for ${record.name}: Keyturn could not look for token lifetimes or a list of accepted secrets. Plan again with --env-file.`,
        );
      drafts.push(...signingSteps(ctx, overlap, escrow));
    }
    if (overlap.ms === 0)
      warnings.push(
        record.kind === 'fernet'
          ? `${record.name} has no overlap window (--overlap 0): v${ctx.from} is retired right after the new key is deployed alone, so anything outside the verified tables that still holds tokens under it (caches, queues, exports) becomes unreadable.`
          : `${record.name} has no overlap window (--overlap 0): tokens and sessions made with v${ctx.from} stop working when it is dropped, so users signed in before the switch must sign in again.`,
      );
    planned.push({
      name: record.name,
      kind: record.kind,
      ...(record.alg ? { alg: record.alg } : {}),
      envVar: variable,
      from: ctx.from,
      to,
      overlap,
      effects,
    });
  }

  const steps = number(drafts, runnable);
  const forced = planned.some((k) => k.effects.some((e) => /logged out/.test(e)));
  return {
    format: 1,
    id: input.id,
    created: new Date(input.now).toISOString(),
    title: `Rotate ${planned.map((k) => k.name).join(', ')}`,
    keys: planned,
    downtime: forced ? 'none, but every user must sign in again at the switch' : 'none (each deploy is a restart)',
    risk: planned.some((k) => k.kind === 'fernet') ? 'high' : forced ? 'medium' : 'low',
    before: beforeList(input, planned),
    steps,
    pointsOfNoReturn: steps.filter((s) => s.pointOfNoReturn).map((s) => s.n),
    warnings,
    success: successList(planned, databases.length > 0),
  };
}

function sessionDefault(): OverlapWindow {
  return {
    ms: 14 * 86_400_000,
    basis: [
      '14 days: no session lifetime was found in the .env files; two weeks is Django\u2019s default session age (SESSION_COOKIE_AGE)',
    ],
    source: 'default',
  };
}

/** Numbers the drafts, turns waits' step ids into numbers and decides each runner from what Keyturn can run. */
function number(drafts: Draft[], runnable: Set<StepOp>): PlanStep[] {
  const seen = new Set<string>();
  for (const d of drafts) {
    if (seen.has(d.id)) throw new KeyturnError('internal', `Two plan steps share the id ${d.id}.`);
    seen.add(d.id);
  }
  const numbers = new Map(drafts.map((d, i) => [d.id, i + 1]));
  return drafts.map((d, i) => {
    const { service, wait, ...rest } = d;
    const automatic = service !== undefined && d.action !== undefined && runnable.has(d.action.op) && !needsPeople(d.action);
    const step: PlanStep = {
      ...rest,
      n: i + 1,
      runner: automatic ? { mode: 'automatic', service: service! } : service ? { mode: 'manual', service } : { mode: 'manual' },
    };
    // A zero overlap (--overlap 0) is no wait at all.
    if (wait && wait.ms > 0) step.wait = { afterStep: numbers.get(wait.afterId)!, ms: wait.ms, reason: wait.reason };
    if (step.pointOfNoReturn) delete step.rollback;
    return step;
  });
}

function beforeList(input: PlanInput, keys: PlannedKey[]): string[] {
  const list = ['Read the whole plan, and the rollback of each step, before step 1', 'Check the keychain is unlocked: keyturn keys status'];
  if ((input.databases ?? []).length > 0) list.push('Check there is disk space for a full database dump where the backups go');
  if ((input.targets ?? []).length > 0)
    list.push(`Check every push target answers: ${(input.targets ?? []).map((t) => `keyturn targets test ${t.name}`).join('; ')}`);
  if (keys.some((k) => k.effects.some((e) => /logged out/.test(e))))
    list.push('Schedule the maintenance window and tell users (see the announcement step)');
  if (input.profile && (input.envFiles ?? []).length > 0)
    list.push(
      `Check the .env files pass their profile: ${(input.envFiles ?? []).map((f) => keyturn.envCheck(f.path, input.profile!)).join('; ')}`,
    );
  list.push('Test this plan on staging first');
  return list;
}

function successList(keys: PlannedKey[], databases: boolean): string[] {
  const list: string[] = [];
  for (const k of keys) list.push(`${k.name}: v${k.to} is current and v${k.from} is retired (keyturn keys show ${k.name})`);
  if (databases) list.push('Every re-encrypted column verifies 100% under the new key alone');
  list.push(
    'The application is healthy and its logs show no key errors',
    'keyturn audit verify reports the audit log intact',
    databases
      ? 'The .env copies made for the rotation are deleted (they hold the old keys); the database dumps are kept as your backup policy says, knowing their PII needs the old key'
      : 'The .env copies made for the rotation are deleted (they hold the old keys)',
  );
  return list;
}
