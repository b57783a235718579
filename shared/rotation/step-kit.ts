// What every key's plan is built from: step drafts, the context they read, and the deployment channels (.env files and
// push targets) through which a key reaches the application in each phase.
import type { KeyRecord } from '../domain/inventory.js';
import { azureName, countKeysCheck, keyturn, pushWhere, ref, remoteName } from './commands.js';
import type { EnvFileFacts, PlanInput, PlanStep, PushTargetInput, StepService } from './types.js';

/** A step before numbering: waits name the step they follow by id; the runner is decided from the service. */
export interface Draft extends Omit<PlanStep, 'n' | 'runner' | 'wait'> {
  service?: StepService;
  wait?: { afterId: string; ms: number; reason: string };
}

export interface KeyContext {
  input: PlanInput;
  record: KeyRecord;
  /** The variable the application reads the key from. */
  variable: string;
  from: number;
  to: number;
  /** The .env files that carry the key (those holding its variable; all given files when none does). */
  envFiles: EnvFileFacts[];
  targets: PushTargetInput[];
  /** Suffix of backup copies: `pre-rotation-20250301T0900Z-PLAN_ID`. */
  stamp: string;
}

export const id = (ctx: KeyContext, step: string): string => `${ctx.record.name}:${step}`;
export const oldRef = (ctx: KeyContext): string => ref(ctx.record.name, ctx.from);
export const newRef = (ctx: KeyContext): string => ref(ctx.record.name, ctx.to);
export const envCopy = (ctx: KeyContext, file: string): string => `${file}.${ctx.stamp}`;

/** Writes `variable` = the given key versions (a comma list when several) into every .env file that carries the key. */
export function envWrites(
  ctx: KeyContext,
  o: { step: string; phase: PlanStep['phase']; variable: string; refs: string[]; why: string; rollbackRefs?: string[]; notes?: string[] },
): Draft[] {
  return ctx.envFiles.map((file) => {
    const count = o.refs.length;
    return {
      id: id(ctx, `${o.step}:${file.path}`),
      key: ctx.record.name,
      phase: o.phase,
      title: `Write ${o.variable} = ${o.refs.join(',')} into ${file.path}`,
      why: o.why,
      service: 'env',
      action: { op: 'env-set', file: file.path, variable: o.variable, refs: o.refs },
      command: keyturn.envSet(file.path, o.variable, o.refs),
      notes: [
        ...(o.notes ?? []),
        'Keyturn writes the values straight from the keychain into the file (atomically, keeping a .bak); nothing is printed.',
        ...(ctx.input.profile
          ? [`Then check the whole file still passes its profile: ${keyturn.envCheck(file.path, ctx.input.profile)}`]
          : []),
      ],
      check: { command: countKeysCheck(file.path, o.variable), expect: `${count} key(s)` },
      rollback: o.rollbackRefs
        ? {
            command:
              o.rollbackRefs.length > 0
                ? keyturn.envSet(file.path, o.variable, o.rollbackRefs)
                : `cp -p ${envCopy(ctx, file.path)} ${file.path}`,
            text:
              o.rollbackRefs.length > 0
                ? `Write back ${o.rollbackRefs.join(',')}, then restart as in the next step.`
                : 'Put the copy made before the rotation back, then restart.',
          }
        : { command: `cp -p ${envCopy(ctx, file.path)} ${file.path}`, text: 'Put the copy made before the rotation back, then restart.' },
    };
  });
}

/** Publishes the new version to every push target without making it the one the application reads by default. */
export function cloudPublish(ctx: KeyContext): Draft[] {
  const name = ctx.record.name;
  return ctx.targets.map((t) => {
    const secret = remoteName(t, name);
    if (t.kind === 'aws') {
      return {
        id: id(ctx, `push-pending:${t.name}`),
        key: name,
        phase: 'publish',
        title: `Push ${newRef(ctx)} to ${t.name} as AWSPENDING`,
        why: `The new version goes into ${secret} staged AWSPENDING only: AWSCURRENT still returns ${oldRef(ctx)}, so nothing that reads the secret changes yet.`,
        service: 'push',
        action: { op: 'push', key: name, version: ctx.to, target: t.name, stage: 'pending', ...pushWhere(t) },
        command: keyturn.push(name, ctx.to, t, 'pending'),
        check: {
          command: keyturn.pushStatus(t),
          expect: `${secret}: in-sync; ${newRef(ctx)} staged AWSPENDING, ${oldRef(ctx)} still AWSCURRENT`,
          prose: true,
        },
        rollback: {
          command: awsRemovePending(secret),
          text: 'Take the AWSPENDING label off the new version; AWSCURRENT was never moved, so readers saw no change.',
        },
      };
    }
    return {
      id: id(ctx, `push-version:${t.name}`),
      key: name,
      phase: 'publish',
      title: `Push ${newRef(ctx)} to ${t.name} as a new version of ${secret}`,
      why: `Key Vault keeps every version: ${oldRef(ctx)} stays enabled beside the new one until the overlap is over, so readers of both versions keep working.`,
      service: 'push',
      action: { op: 'push', key: name, version: ctx.to, target: t.name, ...pushWhere(t) },
      command: keyturn.push(name, ctx.to, t),
      check: { command: keyturn.pushStatus(t), expect: `${secret}: in-sync at ${newRef(ctx)}`, prose: true },
      rollback: {
        command: azureSetEnabled(t, secret, ctx.to, false),
        text: `Disable the new version; the version holding ${oldRef(ctx)} is still enabled.`,
      },
    };
  });
}

/** Makes the new version the default on AWS targets (Azure's newest version already is). */
export function cloudPromote(ctx: KeyContext): Draft[] {
  const name = ctx.record.name;
  return ctx.targets
    .filter((t) => t.kind === 'aws')
    .map((t) => {
      const secret = remoteName(t, name);
      return {
        id: id(ctx, `promote:${t.name}`),
        key: name,
        phase: 'switch',
        title: `Promote ${newRef(ctx)} to AWSCURRENT in ${t.name}`,
        why: `Readers of ${secret} now get ${newRef(ctx)} by default; ${oldRef(ctx)} becomes AWSPREVIOUS and can still be read by that label.`,
        service: 'push',
        action: { op: 'promote', key: name, version: ctx.to, target: t.name },
        command: keyturn.promote(name, ctx.to, t),
        check: {
          command: keyturn.pushStatus(t),
          expect: `${secret}: in-sync; ${newRef(ctx)} AWSCURRENT, ${oldRef(ctx)} AWSPREVIOUS`,
          prose: true,
        },
        rollback: { command: keyturn.promote(name, ctx.from, t), text: `Move AWSCURRENT back to ${oldRef(ctx)}.` },
      };
    });
}

/** After the overlap: the old version is disabled on Azure targets (AWS keeps it as AWSPREVIOUS until the next rotation). */
export function cloudDisableOld(ctx: KeyContext): Draft[] {
  const name = ctx.record.name;
  return ctx.targets
    .filter((t) => t.kind === 'azure')
    .map((t) => {
      const secret = remoteName(t, name);
      return {
        id: id(ctx, `disable-old:${t.name}`),
        key: name,
        phase: 'retire',
        title: `Disable the version of ${secret} that holds ${oldRef(ctx)} in ${t.name}`,
        why: 'A disabled version cannot be read, so anything still using the old key fails now, while the keychain still holds it and this can be undone.',
        command: azureSetEnabled(t, secret, ctx.from, false),
        notes: ['Keyturn tags each version it pushes with keyturn:version, which the command uses to find the version id.'],
        check: {
          command: `az keyvault secret list-versions --vault-name ${vaultName(t)} --name ${secret} --query "[?tags.\\"keyturn:version\\"=='${ctx.from}'].attributes.enabled" --output tsv`,
          expect: 'false',
        },
        rollback: { command: azureSetEnabled(t, secret, ctx.from, true), text: 'Enable the old version again.' },
      };
    });
}

function vaultName(t: PushTargetInput): string {
  return t.vaultName ?? azureName(t.name);
}

function azureSetEnabled(t: PushTargetInput, secret: string, version: number, enabled: boolean): string {
  const vault = vaultName(t);
  return [
    `id="$(az keyvault secret list-versions --vault-name ${vault} --name ${secret} --query "[?tags.\\"keyturn:version\\"=='${version}'].id" --output tsv)"`,
    `az keyvault secret set-attributes --id "$id" --enabled ${enabled}`,
  ].join('\n');
}

function awsRemovePending(secret: string): string {
  return [
    `id="$(aws secretsmanager list-secret-version-ids --secret-id ${secret} --query "Versions[?contains(VersionStages, 'AWSPENDING')].VersionId" --output text)"`,
    `aws secretsmanager update-secret-version-stage --secret-id ${secret} --version-stage AWSPENDING --remove-from-version-id "$id"`,
  ].join('\n');
}

/** Restart the application so it reads what the steps before wrote; the command is the user's, or words when unknown. */
export function restartStep(
  ctx: KeyContext,
  o: {
    step: string;
    phase: PlanStep['phase'];
    title: string;
    why: string;
    expect: string;
    rollback: string;
    notes?: string[];
    effect?: string;
  },
): Draft {
  const app = ctx.input.app ?? {};
  const draft: Draft = {
    id: id(ctx, o.step),
    key: ctx.record.name,
    phase: o.phase,
    title: o.title,
    why: o.why,
    check: app.health ? { command: app.health, expect: o.expect, prose: true } : { expect: o.expect, prose: true },
    rollback: { text: o.rollback },
  };
  if (app.restart) draft.command = app.restart;
  const notes = [...(o.notes ?? [])];
  if (!app.restart)
    notes.unshift(
      'Restart every instance the way you deploy it (docker-compose up -d, systemctl restart, a rolling deploy); pass --restart to put the exact command here.',
    );
  if (notes.length > 0) draft.notes = notes;
  if (o.effect) draft.effect = o.effect;
  return draft;
}
