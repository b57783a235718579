// `keyturn reencrypt` end to end: the real CLI in child processes, keys in a real gnome-keyring (imported from
// Python-generated values), a throwaway PostgreSQL, kill -9 at random points and `reencrypt resume`, the audit log,
// the retirement guard, and every file and output scanned for the keys and the database password.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { pythonKey } from '../../../test/support/fernet-oracle.js';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';
import { requirePythonCryptography } from '../../../test/support/python.js';
import { assertRotated, pgClient, seedUsers, type SqlClient } from '../../../test/support/reencrypt-fixture.js';
import { cliEntry, runCli } from '../../../test/support/run-cli.js';
import { filesHoldingSecrets } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { seededRandom } from '../../../test/support/seeded-random.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
let server: PostgresServer;
let session: SecretServiceSession;
let db: SqlClient;
let envFile: string;
const keys = { old: '', new: '', stranger: '' };

before(async () => {
  requirePythonCryptography();
  [server, session] = await Promise.all([startPostgres(), startSecretService({ unlocked: true })]);
  db = await pgClient(server.url());
  [keys.old, keys.new, keys.stranger] = await Promise.all([pythonKey(), pythonKey(), pythonKey()]);
  // infra/.env as the ResumeRAG guide writes it: the SQLAlchemy URL and the key (here both versions, to import them).
  envFile = join(session.dir, 'infra.env');
  writeFileSync(
    envFile,
    `DATABASE_URL=${server.url({ scheme: 'postgresql+asyncpg' })}\nPII_ENC_KEY_V1=${keys.old}\nPII_ENC_KEY_V2=${keys.new}\n`,
  );
  for (const [variable, extra] of [
    ['PII_ENC_KEY_V1', []],
    ['PII_ENC_KEY_V2', ['--add-version']],
  ] as const) {
    const run = await runCli(['keys', 'import', 'pii-enc-key', '--from-env', envFile, '--var', variable, '--kind', 'fernet', ...extra], {
      env: session.env,
    });
    assert.equal(run.code, 0, run.stderr);
  }
});

after(async () => {
  await db?.close();
  await Promise.all([server?.stop(), session?.stop()]);
});

const cli = (args: string[]) => runCli(args, { env: session.env, killAfterMs: 120_000 });
const base = (table: string) => ['--db-env', 'DATABASE_URL', '--env-file', envFile, '--table', table, '--key', 'pii-enc-key'];

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  jobId?: string;
}

/** The real CLI with --json progress events on stderr; SIGKILL (or `signal`) after `afterEvents` progress events. */
function spawnCli(args: string[], afterEvents: number | null, extraMs: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<Spawned> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...cliEntry(), ...args], {
      env: session.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: REPO,
    });
    let stdout = '';
    let stderr = '';
    let events = 0;
    let sent = false;
    let jobId: string | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      jobId ??= /"job":"([A-Za-z0-9_-]+)"/.exec(stderr)?.[1];
      events = (stderr.match(/"event":"progress"/g) ?? []).length;
      if (afterEvents !== null && !sent && events >= afterEvents) {
        sent = true;
        setTimeout(() => child.kill(signal), extraMs);
      }
    });
    child.on('error', fail);
    child.on('close', (code, sig) => done({ code, signal: sig, stdout, stderr, ...(jobId ? { jobId } : {}) }));
  });
}

function auditLines(): { action: string; key: string; outcome: string; detail?: string; target?: string }[] {
  return readFileSync(join(session.keyturnHome, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

test('scan finds the token columns per key version; a dry run changes nothing', async () => {
  const seeded = await seedUsers(db, 'scanned', 120, keys);
  const scan = await cli([
    'reencrypt',
    'scan',
    '--db-env',
    'DATABASE_URL',
    '--env-file',
    envFile,
    '--key',
    'pii-enc-key',
    '--table',
    'scanned',
    '--json',
  ]);
  assert.equal(scan.code, 0, scan.stderr);
  const report = JSON.parse(scan.stdout) as {
    tables: { table: string; columns: { column: string; counts: { byKey: Record<string, number> } }[] }[];
  };
  assert.deepEqual(
    report.tables[0]!.columns.map((c) => c.column),
    ['email', 'ssn'],
  );
  assert.equal(report.tables[0]!.columns[0]!.counts.byKey['pii-enc-key@v1'], seeded.filter((r) => r.email.kind === 'old').length);
  const before = await db.rows('SELECT id, xmin::text FROM scanned ORDER BY id');
  const dry = await cli(['reencrypt', 'run', ...base('scanned'), '--columns', 'email,ssn', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /Dry run \(nothing written\): pii-enc-key@v1 -> pii-enc-key@v2/);
  assert.deepEqual(await db.rows('SELECT id, xmin::text FROM scanned ORDER BY id'), before);
});

test('kill -9 of the CLI at random points, then `reencrypt resume JOB`: every row verifies, none encrypted twice; audit lines; retirement guarded until done', async () => {
  const seeded = await seedUsers(db, 'users', 800, keys);
  const random = seededRandom();
  const first = await spawnCli(
    ['reencrypt', 'run', ...base('users'), '--columns', 'email,ssn', '--batch-size', '50', '--json'],
    1 + random.int(5),
    random.int(20),
  );
  assert.equal(first.signal, 'SIGKILL', `seed ${random.seed}: ${first.stderr.slice(-500)}`);
  const id = first.jobId!;
  assert.ok(id, first.stderr);

  // An unfinished job needs v1: retiring it is refused, naming the job.
  const guarded = await cli(['keys', 'retire', 'pii-enc-key', '--version', '1', '--yes']);
  assert.equal(guarded.code, 1);
  assert.match(guarded.stderr, new RegExp(`still needed by re-encryption job ${id}`));

  let finished: Spawned | undefined;
  for (let attempt = 0; attempt < 12 && !finished; attempt += 1) {
    const kill = attempt < 3;
    const run = await spawnCli(['reencrypt', 'resume', id, '--json'], kill ? 1 + random.int(4) : null, random.int(20));
    if (run.signal === 'SIGKILL') continue;
    assert.equal(run.code, 1, `seed ${random.seed}: poison rows make the exit code 1: ${run.stderr.slice(-500)}`);
    finished = run;
  }
  assert.ok(finished, `seed ${random.seed}: never finished`);
  const done = JSON.parse(finished.stdout) as { job: { state: string; result: { tables: { rows: number }[] } }; rows: { type: string }[] };
  assert.equal(done.job.state, 'done');
  assert.equal(done.job.result.tables[0]!.rows, 800);
  assert.equal(
    done.rows.filter((r) => r.type === 'poison').length,
    seeded.filter((r) => r.email.kind === 'poison' || r.ssn.kind === 'poison').length,
  );
  await assertRotated(db, 'users', seeded, keys);

  // A finished job resumed again does nothing.
  const again = await cli(['reencrypt', 'resume', id, '--json']);
  assert.equal(JSON.parse(again.stdout).job.state, 'done');

  const lines = auditLines().filter((l) => l.key === 'pii-enc-key' && l.action.startsWith('job-'));
  assert.ok(lines.some((l) => l.action === 'job-start'));
  assert.ok(lines.filter((l) => l.action === 'job-resume').length >= 1);
  const finish = lines.find((l) => l.action === 'job-finish' && l.detail?.includes('users'));
  assert.ok(finish, JSON.stringify(lines));
  assert.match(finish.detail!, /800 of 800 rows; finished users \(pii-enc-key@v1 -> pii-enc-key@v2\)/);

  // verify: poison rows keep it from 100%, so exit 1, with the rest listed by key.
  const verify = await cli(['reencrypt', 'verify', ...base('users'), '--columns', 'email,ssn']);
  assert.equal(verify.code, 1, verify.stderr);
  assert.match(verify.stdout, /new key alone opens .* tokens/);
  assert.match(verify.stdout, /no key opens it/);

  // The guard lets go once the job is done.
  const retire = await cli(['keys', 'retire', 'pii-enc-key', '--version', '1', '--yes']);
  assert.equal(retire.code, 0, retire.stderr);

  // Nothing Keyturn wrote or printed holds a key or the database password.
  const secrets = [keys.old, keys.new, server.password];
  assert.deepEqual(filesHoldingSecrets(session.keyturnHome, secrets), []);
  for (const out of [first.stdout, first.stderr, finished.stdout, finished.stderr, verify.stdout])
    for (const s of secrets) assert.ok(!out.includes(s), 'no secret in the CLI output');
});

test('Ctrl+C pauses at the next checkpoint (audited); usage and connection errors exit 2 and 1 with a sentence', async () => {
  const seeded = await seedUsers(db, 'paused', 800, keys);
  const run = await spawnCli(
    [
      'reencrypt',
      'run',
      '--db-env',
      'DATABASE_URL',
      '--env-file',
      envFile,
      '--table',
      'paused',
      '--columns',
      'email,ssn',
      '--new-key-env',
      'NEW',
      '--old-key-env',
      'OLD',
      '--batch-size',
      '50',
      '--json',
    ],
    2,
    0,
    'SIGINT',
  );
  // --new-key-env reads the process environment: the keys are not in session.env, so this fails before any batch.
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /NEW is not set/);
  const envRun = (args: string[], afterEvents: number | null, signal?: NodeJS.Signals) =>
    new Promise<Spawned>((done, fail) => {
      const child = spawn(process.execPath, [...cliEntry(), ...args], {
        env: { ...session.env, NEW: keys.new, OLD: keys.old },
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: REPO,
      });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (afterEvents !== null && !sent && (stderr.match(/"event":"progress"/g) ?? []).length >= afterEvents) {
          sent = true;
          child.kill(signal);
        }
      });
      child.on('error', fail);
      child.on('close', (code, sig) => done({ code, signal: sig, stdout, stderr, jobId: /"job":"([A-Za-z0-9_-]+)"/.exec(stderr)?.[1] }));
    });
  const paused = await envRun(
    [
      'reencrypt',
      'run',
      '--db-env',
      'DATABASE_URL',
      '--env-file',
      envFile,
      '--table',
      'paused',
      '--columns',
      'email,ssn',
      '--new-key-env',
      'NEW',
      '--old-key-env',
      'OLD',
      '--batch-size',
      '50',
      '--json',
    ],
    2,
    'SIGINT',
  );
  assert.equal(paused.code, 1, paused.stderr);
  assert.equal(JSON.parse(paused.stdout).job.state, 'paused');
  assert.ok(auditLines().some((l) => l.action === 'job-pause' && l.key === 'env:NEW'));
  const resumed = await envRun(['reencrypt', 'resume', paused.jobId!, '--json'], null);
  assert.equal(JSON.parse(resumed.stdout).job.state, 'done');
  await assertRotated(db, 'paused', seeded, keys);

  const usage = await cli([
    'reencrypt',
    'run',
    '--db-env',
    server.url(),
    '--table',
    'paused',
    '--columns',
    'email',
    '--key',
    'pii-enc-key',
  ]);
  assert.equal(usage.code, 2);
  assert.ok(!usage.stderr.includes(server.password));
  writeFileSync(join(session.dir, 'bad.env'), `DATABASE_URL=${server.url({ password: 'not-the-password' })}\n`);
  const auth = await cli([
    'reencrypt',
    'run',
    '--db-env',
    'DATABASE_URL',
    '--env-file',
    join(session.dir, 'bad.env'),
    '--table',
    'paused',
    '--columns',
    'email',
    '--key',
    'pii-enc-key',
    '--dry-run',
  ]);
  assert.equal(auth.code, 1);
  assert.match(auth.stderr, /refused the login for user keyturn/);
  assert.ok(!auth.stderr.includes('not-the-password'));
});
