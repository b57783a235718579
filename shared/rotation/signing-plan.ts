// Rotation of keys that sign (JWT HMAC and key pairs) and of session secrets: verifiers accept the new key first, then
// the signer switches, then the old key goes once every token it signed has expired; or, when the application cannot
// accept two keys, a switch in a maintenance window that logs everyone out, stated plainly.
import { isAsymmetric } from '../domain/key-kinds.js';
import { DAY_MS, describeDuration } from './durations.js';
import { keyturn } from './commands.js';
import { escrowStep, newVersionStep, retireStep } from './common-steps.js';
import {
  cloudDisableOld,
  cloudPromote,
  cloudPublish,
  envWrites,
  id,
  newRef,
  oldRef,
  restartStep,
  type Draft,
  type KeyContext,
} from './step-kit.js';
import type { OverlapWindow } from './types.js';

/** Names an application may read its accepted secrets from, newest or all of them (Django and Flask: SECRET_KEY_FALLBACKS). */
export function acceptedSecretsCandidates(variable: string): string[] {
  return [
    `${variable}S`,
    `${variable}_LIST`,
    `${variable}_FALLBACKS`,
    `${variable}_PREVIOUS`,
    `PREVIOUS_${variable}`,
    `${variable}_OLD`,
    `OLD_${variable}`,
  ];
}

/** The variable holding the accepted-secrets list: given explicitly, or the first candidate found in the .env files. */
export function findAcceptedSecretsVar(ctx: KeyContext): string | undefined {
  const given = ctx.input.acceptedSecretsVar?.[ctx.record.name];
  if (given) return given;
  const names = new Set(ctx.envFiles.flatMap((f) => f.variables));
  return acceptedSecretsCandidates(ctx.variable).find((c) => names.has(c));
}

export type SigningMode = 'jwks' | 'accepted-list' | 'forced-switch';

export function signingMode(ctx: KeyContext): { mode: SigningMode; listVar?: string } {
  if (isAsymmetric(ctx.record.kind)) return { mode: 'jwks' };
  const listVar = findAcceptedSecretsVar(ctx);
  return listVar ? { mode: 'accepted-list', listVar } : { mode: 'forced-switch' };
}

/** Kept after a forced switch only so it can be undone: every token signed with the old key died at the switch. */
export function forcedSwitchOverlap(): OverlapWindow {
  return {
    ms: DAY_MS,
    basis: [
      '1 day: every token or session made with the old key stopped working at the switch, so the old version is kept one day only, to undo the switch if needed',
    ],
    source: 'default',
  };
}

function kidOf(ctx: KeyContext): string {
  const fp = ctx.record.versions.find((v) => v.version === ctx.from)?.fingerprint ?? '';
  return fp.startsWith('jwk-thumbprint:') ? fp.slice('jwk-thumbprint:'.length) : fp;
}

function jwksSteps(ctx: KeyContext, which: 'both' | 'new'): Draft[] {
  const name = ctx.record.name;
  const file = 'jwks.json';
  const refs = which === 'both' ? [oldRef(ctx), newRef(ctx)] : [newRef(ctx)];
  const url = ctx.input.app?.jwksUrl;
  const kidCheck = url
    ? `curl -fsS ${url} | python3 -c "import json,sys; print(len(json.load(sys.stdin)['keys']), 'key(s)')"`
    : `python3 -c "import json; print(len(json.load(open('${file}'))['keys']), 'key(s)')"`;
  const count = refs.length;
  const export_: Draft = {
    id: id(ctx, `jwks-${which}`),
    key: name,
    phase: which === 'both' ? 'publish' : 'retire',
    title:
      which === 'both'
        ? `Export a JWKS with both public keys (${oldRef(ctx)} and ${newRef(ctx)})`
        : `Export a JWKS with ${newRef(ctx)} alone`,
    why:
      which === 'both'
        ? `Verifiers must know the new public key before any token is signed with it. Each key carries its kid (its RFC 7638 thumbprint); ${oldRef(ctx)}'s is ${kidOf(ctx)}.`
        : `Every token signed with ${oldRef(ctx)} has expired, so verifiers no longer need its public key.`,
    service: 'vault',
    action: { op: 'jwks-export', key: name, file, ...(which === 'new' ? { version: ctx.to } : {}) },
    command: which === 'both' ? keyturn.jwksAll(name, file) : keyturn.jwksOne(newRef(ctx), file),
    notes: ['A JWKS holds public keys only; it is safe to publish.'],
    check: { command: `python3 -c "import json; print(len(json.load(open('${file}'))['keys']), 'key(s)')"`, expect: `${count} key(s)` },
    rollback: { text: `Nothing to undo: the file is not published until the next step.` },
  };
  const publish = restartStep(ctx, {
    step: `publish-jwks-${which}`,
    phase: which === 'both' ? 'publish' : 'retire',
    title: which === 'both' ? `Publish the JWKS with both keys to every verifier` : `Publish the JWKS without ${oldRef(ctx)}`,
    why:
      which === 'both'
        ? 'Every service that verifies tokens must accept the new kid before the signer uses it; tokens signed with the old key keep verifying.'
        : `Verifiers stop accepting ${oldRef(ctx)}; by now no valid token was signed with it.`,
    expect: `${count} key(s)`,
    rollback:
      which === 'both'
        ? 'Publish the previous JWKS again; nothing was signed with the new key yet.'
        : `Publish the JWKS with both keys again.`,
    notes: [
      `Serve ${file} where verifiers fetch it (the /.well-known/jwks.json endpoint, or the file they load).`,
      'Verifiers that cache the JWKS must refresh it before the next step: wait out their cache time.',
    ],
  });
  publish.check = { command: kidCheck, expect: `${count} key(s)` };
  return [export_, publish];
}

export function signingSteps(ctx: KeyContext, overlap: OverlapWindow, escrow: { exists: boolean; bundle?: string }): Draft[] {
  const name = ctx.record.name;
  const v = ctx.variable;
  const { mode, listVar } = signingMode(ctx);
  const session = ctx.record.kind === 'secret';
  const steps: Draft[] = [newVersionStep(ctx)];
  if (escrow.exists) steps.push(escrowStep(ctx, escrow.bundle, true));

  if (mode === 'forced-switch') {
    const effect = forcedEffect(ctx);
    const switchStep = `deploy-new`;
    steps.push({
      id: id(ctx, 'maintenance-window'),
      key: name,
      phase: 'prepare',
      title: 'Announce a maintenance window',
      why: 'Tell users when the switch happens and what they will notice, as the migration runbooks do: a notice a day ahead, a reminder an hour before, and one when it is over.',
      check: { expect: `Users know the time of the switch and that they will have to sign in again.`, prose: true },
      rollback: { text: 'Nothing to undo; announce the cancellation if the rotation is called off.' },
      effect,
    });
    steps.push(
      ...cloudPublish(ctx),
      ...envWrites(ctx, {
        step: 'new-secret',
        phase: 'switch',
        variable: v,
        refs: [newRef(ctx)],
        why: `The application will sign and verify with ${newRef(ctx)} only once restarted.`,
        notes: [
          'Do this at the start of the maintenance window, not before: an instance that restarts after this step picks up the new secret and logs its users out early.',
        ],
      }),
      ...cloudPromote(ctx),
    );
    steps.push(
      restartStep(ctx, {
        step: switchStep,
        phase: 'switch',
        title: `In the maintenance window: deploy the application with ${newRef(ctx)}`,
        why: 'The switch. The application cannot accept two secrets, so old and new cannot overlap.',
        expect: 'The health check passes; signing in works and a new session or token is accepted.',
        rollback: `Deploy ${oldRef(ctx)} again (the .env copy) and restart; users who signed in since are logged out once more.`,
        effect,
      }),
    );
    return finishRetire(ctx, steps, id(ctx, switchStep), overlap, escrow.exists);
  }

  if (mode === 'jwks') {
    steps.push(...jwksSteps(ctx, 'both'), ...cloudPublish(ctx));
  } else {
    steps.push(
      ...envWrites(ctx, {
        step: 'accept-both',
        phase: 'publish',
        variable: listVar!,
        refs: [newRef(ctx), oldRef(ctx)],
        why: `${listVar} lists the secrets the application accepts; with both in it, tokens${session ? ' and sessions' : ''} signed with either verify.`,
      }),
      ...cloudPublish(ctx),
    );
    steps.push(
      restartStep(ctx, {
        step: 'deploy-accept',
        phase: 'publish',
        title: `Deploy the application accepting both secrets`,
        why: `Every instance must accept ${newRef(ctx)} before any instance signs with it.`,
        expect: 'The health check passes; existing sessions still work.',
        rollback: 'Deploy the .env copy again and restart; nothing was signed with the new secret yet.',
      }),
    );
  }

  steps.push(
    ...envWrites(ctx, {
      step: 'sign-new',
      phase: 'switch',
      variable: v,
      refs: [newRef(ctx)],
      why: `${v} is what the application signs with; from the restart on, new ${session ? 'sessions and tokens' : 'tokens'} carry ${newRef(ctx)}.`,
      rollbackRefs: [oldRef(ctx)],
    }),
    ...cloudPromote(ctx),
  );
  const signRestart = restartStep(ctx, {
    step: 'deploy-sign',
    phase: 'switch',
    title: `Deploy the application signing with ${newRef(ctx)}`,
    why: `Tokens signed with ${oldRef(ctx)} before this keep verifying until they expire: that is the overlap window (${describeDuration(overlap.ms)}).`,
    expect:
      mode === 'jwks'
        ? `The health check passes; a token issued now carries the kid of ${newRef(ctx)}.`
        : 'The health check passes; signing in works; existing sessions still work.',
    rollback: `Sign with ${oldRef(ctx)} again; tokens signed with ${newRef(ctx)} meanwhile still verify, because it stays accepted.`,
  });
  steps.push(signRestart);

  if (mode === 'jwks') {
    const [exp, pub] = jwksSteps(ctx, 'new');
    exp!.wait = { afterId: signRestart.id, ms: overlap.ms, reason: 'the overlap window' };
    steps.push(exp!, pub!, ...cloudDisableOld(ctx));
  } else {
    const drop = envWrites(ctx, {
      step: 'accept-new',
      phase: 'retire',
      variable: listVar!,
      refs: [newRef(ctx)],
      why: `Every token signed with ${oldRef(ctx)} has expired; the application stops accepting it.`,
      rollbackRefs: [newRef(ctx), oldRef(ctx)],
    });
    const restart = restartStep(ctx, {
      step: 'deploy-drop-old',
      phase: 'retire',
      title: `Deploy the application accepting ${newRef(ctx)} alone`,
      why: `Anything that still presents a token signed with ${oldRef(ctx)} is refused now, while this can be undone.`,
      expect: 'The health check passes; signing in works.',
      rollback: `Accept both again (${listVar}=${newRef(ctx)},${oldRef(ctx)}) and restart.`,
    });
    const first = drop[0] ?? restart;
    first.wait = { afterId: signRestart.id, ms: overlap.ms, reason: 'the overlap window' };
    steps.push(...drop, restart, ...cloudDisableOld(ctx));
  }
  const retire = retireStep(ctx, signRestart.id, overlap.ms, escrow.exists);
  delete retire.wait;
  steps.push(retire);
  return steps;
}

function finishRetire(ctx: KeyContext, steps: Draft[], after: string, overlap: OverlapWindow, escrowed: boolean): Draft[] {
  const disable = cloudDisableOld(ctx);
  const retire = retireStep(ctx, after, overlap.ms, escrowed);
  if (disable.length > 0) {
    disable[0]!.wait = retire.wait!;
    delete retire.wait;
  }
  return [...steps, ...disable, retire];
}

/** What users notice when the application cannot accept two keys. */
export function forcedEffect(ctx: KeyContext): string {
  if (ctx.record.kind === 'secret') {
    return `Sessions and CSRF tokens signed with ${ctx.variable} become invalid at the switch: every user is logged out, and forms already open in a browser fail once when submitted.`;
  }
  return `Every user is logged out at the switch: access and refresh tokens signed with ${oldRef(ctx)} stop verifying the moment the application restarts with ${newRef(ctx)}, because it accepts one secret only (no ${acceptedSecretsCandidates(ctx.variable).slice(0, 3).join(', ')} or similar list was found).`;
}
