// A Fernet (PII) key's rotation: both keys deployed, every stored row re-encrypted and verified, then the new key alone.
import { keyturn, remoteName } from './commands.js';
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

/** How the application builds its key ring from what the deploy steps give it; the runbook shows it, never values. */
function multiFernetForms(ctx: KeyContext): string[] {
  const v = ctx.variable;
  const forms = [
    `The application must decrypt with both keys and encrypt with the new one, as cryptography's MultiFernet does (first key encrypts, every key decrypts).`,
  ];
  if (ctx.envFiles.length > 0 || ctx.targets.length === 0) {
    forms.push(
      `From the .env file: ${v}=<${newRef(ctx)}>,<${oldRef(ctx)}> (newest first), read as\n` +
        `    fernet = MultiFernet([Fernet(k) for k in os.environ["${v}"].split(",")])`,
    );
  }
  for (const t of ctx.targets) {
    const secret = remoteName(t, ctx.record.name);
    if (t.kind === 'aws') {
      const field = t.bundle ? `json.loads(s["SecretString"])["${v}"]` : 's["SecretString"]';
      forms.push(
        `From ${t.name} (AWS): the AWSPENDING version (new key) first, then AWSCURRENT (old key):\n` +
          `    stages = [client.get_secret_value(SecretId="${secret}", VersionStage=st) for st in ("AWSPENDING", "AWSCURRENT")]\n` +
          `    fernet = MultiFernet([Fernet(${field}) for s in stages])`,
      );
    } else {
      forms.push(
        `From ${t.name} (Azure): every enabled version of ${secret}, newest first:\n` +
          `    props = sorted((p for p in client.list_properties_of_secret_versions("${secret}") if p.enabled), key=lambda p: p.created_on, reverse=True)\n` +
          `    fernet = MultiFernet([Fernet(client.get_secret("${secret}", p.version).value) for p in props])`,
      );
    }
  }
  return forms;
}

export function fernetSteps(ctx: KeyContext, overlap: OverlapWindow, escrow: { exists: boolean; bundle?: string }): Draft[] {
  const name = ctx.record.name;
  const v = ctx.variable;
  const dbs = ctx.input.databases ?? [];
  const steps: Draft[] = [newVersionStep(ctx), escrowStep(ctx, escrow.bundle, escrow.exists)];

  // Publish: the application gets both keys and keeps reading every row, whatever key wrote it.
  steps.push(
    ...envWrites(ctx, {
      step: 'both-keys',
      phase: 'publish',
      variable: v,
      refs: [newRef(ctx), oldRef(ctx)],
      why: `The MultiFernet form: the new key first (it encrypts everything written from now on), the old one after it (it still decrypts the rows not yet re-encrypted).`,
    }),
    ...cloudPublish(ctx),
  );
  const bothRestart = restartStep(ctx, {
    step: 'deploy-both',
    phase: 'publish',
    title: `Deploy the application with both keys`,
    why: `From here on the application writes with ${newRef(ctx)} and reads rows under either key, so re-encryption can run while it serves users.`,
    expect: 'The health check passes; the logs show no InvalidToken errors; a record with PII opens and a new one saves.',
    rollback: `Deploy the previous configuration (the .env copy, or ${oldRef(ctx)} alone) and restart. Rows written meanwhile are under ${newRef(ctx)}: keep ${newRef(ctx)} in the key list until they are re-encrypted back.`,
    notes: multiFernetForms(ctx),
  });
  steps.push(bothRestart);

  // Re-encrypt and verify every configured table; without databases, say plainly that the data step is the user's.
  if (dbs.length === 0) {
    steps.push({
      id: id(ctx, 'reencrypt'),
      key: name,
      phase: 'switch',
      title: `Re-encrypt the data stored under ${oldRef(ctx)}`,
      why: 'No database was given to the plan, so Keyturn cannot re-encrypt or count the rows. Every token written with the old key must be re-encrypted before the old key may go.',
      service: 'reencrypt',
      command: keyturn.reencryptScan(name),
      notes: [
        'Find the Fernet columns with the scan, then plan again with --db-env, --table and --columns so the plan re-encrypts and verifies them.',
      ],
      check: {
        expect: `Every column that holds Fernet tokens is listed by the scan, and each decrypts under ${newRef(ctx)} alone.`,
        prose: true,
      },
      rollback: { text: `Nothing to undo while the application holds both keys.` },
    });
  }
  dbs.forEach((db, d) => {
    for (const t of db.tables) {
      const target = {
        engine: db.engine,
        urlVar: db.urlVar,
        ...(db.envFile ? { envFile: db.envFile } : {}),
        table: t.table,
        columns: t.columns,
      };
      const pk = t.pk ? { pk: t.pk } : {};
      steps.push({
        id: id(ctx, `reencrypt:${d + 1}:${t.table}`),
        key: name,
        phase: 'switch',
        title: `Re-encrypt ${t.table} (${t.columns.join(', ')}) under ${newRef(ctx)}`,
        why: `A resumable job: short batches, each row decrypted with any version and re-encrypted with ${newRef(ctx)} keeping its timestamp, written back only if nobody changed it meanwhile. Rows already under ${newRef(ctx)} are skipped.`,
        service: 'reencrypt',
        action: { op: 'reencrypt', key: name, ...target, ...pk },
        command: keyturn.reencrypt('run', name, db, t.table, t.columns, t.pk),
        notes: [
          'Progress (rows/s, done/total, ETA) shows as it runs; if it stops (Ctrl-C, a dropped connection, a reboot) continue with: keyturn reencrypt resume JOB',
          'Rows that no key decrypts (poison rows) are never changed; their primary keys are listed in the job report.',
        ],
        check: {
          expect: `The job ends with poison 0 in every column and "Every row is under ${newRef(ctx)}."; any poison row is looked at before going on.`,
          prose: true,
        },
        rollback: {
          text: `While the application holds both keys, re-encrypted rows stay readable: there is nothing to undo. To return the rows to ${oldRef(ctx)} entirely, restore the dump of the backup step (losing writes made since).`,
        },
      });
      steps.push({
        id: id(ctx, `verify:${d + 1}:${t.table}`),
        key: name,
        phase: 'switch',
        title: `Verify that ${newRef(ctx)} alone decrypts every row of ${t.table}`,
        why: `The gate before the old key leaves the application: every non-NULL value in ${t.columns.join(', ')} must decrypt with ${newRef(ctx)} and no other key.`,
        service: 'reencrypt',
        action: { op: 'reencrypt-verify', key: name, ...target, ...pk },
        command: keyturn.reencrypt('verify', name, db, t.table, t.columns, t.pk),
        check: {
          expect: [
            ...t.columns.map((c) => `    ${c.padEnd(16)} new key alone opens N of N tokens (100%), NULL n, empty n`),
            'Every token opens under the new key alone: the old version can be retired.',
          ].join('\n'),
        },
        rollback: {
          text: 'Nothing to undo: verification only reads. Below 100%: run the re-encryption step again (it resumes), and do not go on.',
        },
      });
    }
  });

  // Switch: the new key alone.
  steps.push(
    ...envWrites(ctx, {
      step: 'new-key-alone',
      phase: 'switch',
      variable: v,
      refs: [newRef(ctx)],
      why: `Every stored row now decrypts under ${newRef(ctx)}, so the application no longer needs ${oldRef(ctx)}.`,
      rollbackRefs: [newRef(ctx), oldRef(ctx)],
    }),
    ...cloudPromote(ctx),
  );
  const aloneRestart = restartStep(ctx, {
    step: 'deploy-new',
    phase: 'switch',
    title: `Deploy the application with ${newRef(ctx)} alone`,
    why: `The old key leaves the running application. Anything that still needed it fails now, while the keychain still holds ${oldRef(ctx)} and this step can be undone.`,
    expect: 'The health check passes; the logs show no InvalidToken errors; records with PII open.',
    rollback: `Deploy both keys again (${newRef(ctx)},${oldRef(ctx)}) and restart; find what still holds tokens under ${oldRef(ctx)}.`,
    notes: [
      `The application reads ${v} as one key again: fernet = Fernet(os.environ["${v}"]) (or MultiFernet over a list of one).`,
      ...ctx.targets.map((t) =>
        t.kind === 'aws'
          ? `${t.name}: read AWSCURRENT only (it now holds ${newRef(ctx)}).`
          : `${t.name}: read the latest version only (it holds ${newRef(ctx)}).`,
      ),
    ],
  });
  steps.push(aloneRestart);

  // Retire after the overlap: cloud copies first (undoable), then the keychain (the point of no return).
  const disable = cloudDisableOld(ctx);
  const retire = retireStep(ctx, aloneRestart.id, overlap.ms, escrow.exists);
  const first = disable[0] ?? retire;
  first.wait = { afterId: aloneRestart.id, ms: overlap.ms, reason: 'the overlap window' };
  if (first !== retire) delete retire.wait;
  steps.push(...disable, retire);
  return steps;
}

export const FERNET_EFFECT = 'None for users: the application reads rows under both keys until every row is re-encrypted and verified.';
