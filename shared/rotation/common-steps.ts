// Steps every rotation shares: backups of .env files and databases, the new keychain version, escrow, and retirement.
import { dumpCheck, dumpCommand, keyturn, restoreCommand, sh } from './commands.js';
import { id, newRef, oldRef, type Draft, type KeyContext } from './step-kit.js';
import type { DatabaseInput, EnvFileFacts } from './types.js';

export function backupEnvStep(file: EnvFileFacts, copy: string): Draft {
  return {
    id: `backup-env:${file.path}`,
    phase: 'prepare',
    title: `Back up ${file.path}`,
    why: 'A byte-for-byte copy, with the same permissions, to put back if anything goes wrong. It holds the current keys: keep it as private as the original and delete it when the rotation is finished.',
    service: 'backup',
    action: { op: 'backup-file', path: file.path, copy },
    command: `cp -p ${sh(file.path)} ${sh(copy)}`,
    check: { command: `cmp ${sh(file.path)} ${sh(copy)} && echo "same bytes"`, expect: 'same bytes' },
    rollback: { text: 'Nothing to undo: the original file is unchanged.' },
  };
}

export function backupDbStep(db: DatabaseInput, index: number, file: string, tables: string): Draft {
  const check = dumpCheck(db, file);
  const tool = db.engine === 'postgresql' ? 'pg_dump' : db.engine === 'mysql' ? 'mysqldump' : 'sqlite3 .backup';
  return {
    id: `backup-db:${index}`,
    phase: 'prepare',
    title: `Back up the ${engineName(db)} database in ${db.urlVar}`,
    why: `A full dump (${tool}) before any row changes, holding ${tables} as they are now. Restoring it undoes the re-encryption, but also every write made after it, so it is the last resort.`,
    service: 'backup',
    action: { op: 'backup-db', engine: db.engine, urlVar: db.urlVar, ...(db.envFile ? { envFile: db.envFile } : {}), file },
    command: dumpCommand(db, file),
    notes: [
      `${db.urlVar} is read from ${db.envFile ?? 'the environment'}; its value is never printed.`,
      ...(db.engine === 'postgresql'
        ? [
            'The URL, password included, is on pg_dump\u2019s command line while it runs: run this where no other user can list your processes, or let Keyturn run the step (it passes the password in PGPASSWORD).',
          ]
        : []),
      "Do not continue until the check below passes (the size is your database's; anything above zero).",
    ],
    check,
    rollback: {
      text: 'Nothing to undo. Restoring the dump is the last resort of later steps: it also undoes every write made after it.',
      command: restoreCommand(db, file),
    },
  };
}

function engineName(db: DatabaseInput): string {
  return db.engine === 'postgresql' ? 'PostgreSQL' : db.engine === 'mysql' ? 'MySQL/MariaDB' : 'SQLite';
}

export function newVersionStep(ctx: KeyContext): Draft {
  const name = ctx.record.name;
  const what = ctx.record.kind === 'fernet' ? 'Fernet key' : ctx.record.alg ? `${ctx.record.alg} key` : 'key';
  return {
    id: id(ctx, 'new-version'),
    key: name,
    phase: 'prepare',
    title: `Add ${newRef(ctx)} to the keychain`,
    why: `Keyturn makes a new ${what} of the same kind and size and stores it as version ${ctx.to}; ${oldRef(ctx)} stays in the keychain, marked retiring. Nothing outside Keyturn changes yet.`,
    service: 'vault',
    action: { op: 'new-version', key: name, version: ctx.to },
    command: keyturn.rotate(name),
    check: { command: keyturn.show(name), expect: `current:  v${ctx.to}\n...\nv${ctx.from}       retiring\nv${ctx.to}       current` },
    rollback: {
      command: `${keyturn.revert(name, ctx.from)}\n${keyturn.retire(name, ctx.to)}`,
      text: `Make ${oldRef(ctx)} current again, then retire v${ctx.to}: nothing has used it yet.`,
    },
  };
}

export function escrowStep(ctx: KeyContext, bundle: string | undefined, exists: boolean): Draft {
  const name = ctx.record.name;
  if (exists && bundle) {
    return {
      id: id(ctx, 'escrow'),
      key: name,
      phase: 'prepare',
      title: `Add ${newRef(ctx)} to the offline escrow`,
      why: `The escrow bundle must hold the new version before any data depends on it: once rows are re-encrypted, losing the keychain without an escrowed ${newRef(ctx)} makes them unreadable.`,
      service: 'escrow',
      action: { op: 'escrow-update', key: name, version: ctx.to, bundle },
      command: keyturn.escrowUpdate(bundle),
      notes: [
        'Adding the version needs no share. The check is a drill: it needs three custodians (the threshold) with their shares; SHARE1..3 stand for the shares they type or scan.',
      ],
      check: {
        command: keyturn.escrowVerify(bundle),
        expect: `restores ${name}@v${ctx.from} and ${newRef(ctx)}; every fingerprint matches`,
        prose: true,
      },
      rollback: {
        text: `Nothing to undo: the bundle still restores ${oldRef(ctx)}; a version that also holds v${ctx.to} does no harm if the rotation is abandoned.`,
      },
    };
  }
  return {
    id: id(ctx, 'escrow'),
    key: name,
    phase: 'prepare',
    title: `Escrow ${newRef(ctx)} offline`,
    why: `${name} has no offline escrow. Once rows are re-encrypted under ${newRef(ctx)}, losing this machine's keychain makes the data unreadable ("Loss of this key means you cannot decrypt any encrypted PII data"). Split it among custodians before going on.`,
    service: 'escrow',
    action: { op: 'escrow-update', key: name, version: ctx.to },
    command: keyturn.escrowCreate(name, ctx.to),
    notes: ['Add --custodian NAME=AGE_RECIPIENT for each custodian so nobody running this holds a plaintext share.'],
    check: {
      command: keyturn.escrowVerify(`escrow/${name}`),
      expect: `restores ${newRef(ctx)}; every fingerprint matches`,
      prose: true,
    },
    rollback: {
      text: 'Nothing to undo: an escrow of a version that is never used does no harm. Destroy its share sheets if the rotation is abandoned.',
    },
  };
}

/** The last step of a key: the old version leaves the keychain for good. */
export function retireStep(ctx: KeyContext, after: string, overlapMs: number, escrowed: boolean): Draft {
  const name = ctx.record.name;
  return {
    id: id(ctx, 'retire'),
    key: name,
    phase: 'retire',
    title: `Retire ${oldRef(ctx)}`,
    why: `Deletes ${oldRef(ctx)} from the keychain; the inventory keeps its metadata. From here on, nothing made with the old key can be read or verified again.`,
    service: 'vault',
    action: { op: 'retire', key: name, version: ctx.from },
    command: keyturn.retire(name, ctx.from),
    check: { command: keyturn.show(name), expect: `v${ctx.from}       retired\nv${ctx.to}       current` },
    pointOfNoReturn: true,
    effect: retireEffect(ctx, escrowed),
    wait: { afterId: after, ms: overlapMs, reason: 'the overlap window' },
  };
}

function retireEffect(ctx: KeyContext, escrowed: boolean): string {
  const gone = escrowed
    ? `Only the offline escrow can bring ${oldRef(ctx)} back after this step`
    : `${oldRef(ctx)} is gone for good after this step`;
  if (ctx.record.kind === 'fernet')
    return `${gone}: any data still encrypted with it becomes unreadable, including the rows in database dumps made before the rotation.`;
  return `${gone}: a token or session made with it can no longer be verified (by now every one has expired or was invalidated at the switch).`;
}
