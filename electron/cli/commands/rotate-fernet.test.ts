// The whole rotation of a Fernet PII key from the CLI, on a real PostgreSQL table and a real gnome-keyring: "what is
// due?", a plan, every automatic step run by Keyturn (the .env and database backups, the new version, the
// re-encryption job — paused with Ctrl+C and continued, stopped by a poison row until it is fixed — the 100%
// verification, the retirement), the manual steps ticked off; then Python's cryptography judges every stored token.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { Inventory } from '../../../shared/domain/inventory.js';
import type { DueReport } from '../../../shared/rotation/policy.js';
import type { PlanStatus } from '../../../shared/rotation/progress.js';
import { pythonEncrypt, pythonJudge, pythonKey } from '../../../test/support/fernet-oracle.js';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';
import { requirePythonCryptography } from '../../../test/support/python.js';
import { pgClient, type SqlClient } from '../../../test/support/reencrypt-fixture.js';
import { cliEntry, runCli, secretToolLookup, type CliRun } from '../../../test/support/run-cli.js';
import { filesHoldingSecrets } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';

const ROWS = 20_000;
const POISON_ID = 7;
const DAY = 86_400_000;
let server: PostgresServer;
let session: SecretServiceSession;
let db: SqlClient;
let oldKey: string;
const seeded: { id: number; email: string; phone: string | null; at: number }[] = [];
const outputs: string[] = [];

const cli = async (args: string[]): Promise<CliRun> => {
  const run = await runCli(args, { env: session.env, cwd: session.dir, killAfterMs: 180_000 });
  outputs.push(run.stdout, run.stderr);
  return run;
};
const ok = async (args: string[]): Promise<CliRun> => {
  const run = await cli(args);
  assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
  return run;
};

/** `rotate run-step` with a Ctrl+C as soon as the step's job has started. */
function runStepThenInterrupt(plan: string, n: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...cliEntry(), 'rotate', 'run-step', plan, String(n), '--yes'], {
      env: session.env,
      cwd: session.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /runs as job [A-Za-z0-9_-]+; Ctrl\+C pauses it/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.once('error', fail);
    child.once('close', (code) => {
      outputs.push(stdout, stderr);
      done({ code, stdout, stderr });
    });
  });
}

before(async () => {
  requirePythonCryptography();
  [server, session] = await Promise.all([startPostgres(), startSecretService({ unlocked: true })]);
  db = await pgClient(server.url());
  oldKey = await pythonKey();
  // The application's .env, as the ResumeRAG guide writes it: a SQLAlchemy URL and the key it encrypts PII with.
  writeFileSync(
    join(session.dir, '.env'),
    `DATABASE_URL=${server.url({ scheme: 'postgresql+asyncpg' })}\nPII_ENC_KEY=${oldKey}\nJWT_EXPIRE_MINUTES=15\n`,
    { mode: 0o600 },
  );
  const imported = await cli(['keys', 'import', 'pii-enc-key', '--from-env', '.env', '--var', 'PII_ENC_KEY', '--kind', 'fernet']);
  assert.equal(imported.code, 0, imported.stderr);
  // Rows written by Python under the old key, at known times; every 10th phone is NULL; one row holds garbage.
  await db.exec('CREATE TABLE users (id integer PRIMARY KEY, email_enc text, phone_enc text, name text)');
  const items: { plaintext: Buffer; at: number }[] = [];
  for (let id = 1; id <= ROWS; id++) {
    const at = 1_600_000_000 + id;
    seeded.push({ id, email: `person${id}@example.com`, phone: id % 10 === 0 ? null : `+44 20 7946 ${String(id).padStart(5, '0')}`, at });
  }
  for (const s of seeded) {
    items.push({ plaintext: Buffer.from(s.email), at: s.at });
    if (s.phone) items.push({ plaintext: Buffer.from(s.phone), at: s.at });
  }
  const tokens = await pythonEncrypt(oldKey, items);
  let t = 0;
  const values = seeded.map((s) => [s.id, tokens[t++]!, s.phone ? tokens[t++]! : null, `name ${s.id}`]);
  values[POISON_ID - 1]![1] = 'not-a-fernet-token';
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    await db.exec(`INSERT INTO users VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`, chunk.flat());
  }
  // The key has been in use for 200 days: past its 180-day default.
  const file = join(session.keyturnHome, 'inventory.json');
  const inventory = JSON.parse(readFileSync(file, 'utf8')) as Inventory;
  inventory.keys[0]!.versions[0]!.created = new Date(Date.now() - 200 * DAY).toISOString();
  writeFileSync(file, JSON.stringify(inventory, null, 2));
});

after(async () => {
  await db?.close();
  await Promise.all([server?.stop(), session?.stop()]);
});

test('from "what is due?" to a verified rotation of PII_ENC_KEY on PostgreSQL, from the CLI', { timeout: 900_000 }, async () => {
  const due = await cli(['rotate', 'due', '--json']);
  assert.equal(due.code, 1, 'past due: exit 1 for CI');
  assert.equal((JSON.parse(due.stdout) as DueReport).entries[0]!.state, 'past');

  const planned = await ok([
    'rotate',
    'plan',
    'pii-enc-key',
    '--env-file',
    '.env',
    '--db-env',
    'DATABASE_URL',
    '--table',
    'users',
    '--columns',
    'email_enc,phone_enc',
    '--overlap',
    '0',
    '--id',
    'pii-2025',
    '--out',
    'rotation.md',
  ]);
  assert.match(planned.stdout, /^Saved plan pii-2025: \d+ steps, \d+ run by Keyturn/);
  const plan = JSON.parse((await ok(['rotate', 'status', 'pii-2025', '--json'])).stdout) as PlanStatus;
  const byOp = (op: string) => plan.steps.find((s) => s.step.action?.op === op)!.step.n;
  for (const op of ['backup-file', 'backup-db', 'new-version', 'env-set', 'reencrypt', 'reencrypt-verify', 'retire'])
    assert.equal(plan.steps[byOp(op) - 1]!.step.runner.mode, 'automatic', `${op} is run by Keyturn`);
  const reencrypt = byOp('reencrypt');

  const ran: string[] = [];
  for (const view of plan.steps) {
    const n = view.step.n;
    if (n === reencrypt) {
      // Ctrl+C: the job pauses at a checkpoint and the step waits, running.
      const interrupted = await runStepThenInterrupt('pii-2025', n);
      assert.equal(interrupted.code, 1, interrupted.stderr);
      assert.match(interrupted.stdout, new RegExp(`^Step ${n} paused: job [A-Za-z0-9_-]+, .*rows`));
      assert.match(
        (await ok(['rotate', 'status', 'pii-2025'])).stdout,
        /Next: step \d+ is paused; continue it with: keyturn rotate run-step pii-2025/,
      );
      // Continued, the job reaches the end; the poison row fails the step's check and is named by the job.
      const poisoned = await cli(['rotate', 'run-step', 'pii-2025', String(n), '--yes']);
      assert.equal(poisoned.code, 1);
      assert.match(poisoned.stdout, /failed .*\[check-failed\]: 1 row of users holds tokens no key opens \(poison\)/);
      // The user looks at the row and clears the garbage; the step runs again as a new job and passes.
      await db.exec('UPDATE users SET email_enc = NULL WHERE id = ?', [POISON_ID]);
      const again = await ok(['rotate', 'run-step', 'pii-2025', String(n), '--yes']);
      assert.match(
        again.stdout,
        new RegExp(
          `^Step ${n} done: users: ${ROWS.toLocaleString('en-US')} rows read, [0-9,]+ re-encrypted under pii-enc-key@v2 \\(from pii-enc-key@v1\\), 0 poison\\.`,
        ),
      );
      ran.push('reencrypt');
    } else if (view.runnable) {
      const run = await ok(['rotate', 'run-step', 'pii-2025', String(n), '--yes']);
      assert.match(run.stdout, new RegExp(`^Step ${n} done: `));
      ran.push(view.step.action!.op);
    } else {
      await ok(['rotate', 'done', 'pii-2025', String(n), '--note', 'done by the on-call engineer']);
    }
  }
  // The .env is written twice: both keys (MultiFernet) for the overlap, then the new key alone.
  assert.deepEqual(
    ran.filter((op) => ['backup-file', 'backup-db', 'new-version', 'env-set', 'reencrypt', 'reencrypt-verify', 'retire'].includes(op)),
    ['backup-file', 'backup-db', 'new-version', 'env-set', 'reencrypt', 'reencrypt-verify', 'env-set', 'retire'],
  );
  const finished = JSON.parse((await ok(['rotate', 'status', 'pii-2025', '--json'])).stdout) as PlanStatus;
  assert.equal(finished.done, finished.steps.length);
  assert.match(
    finished.steps[byOp('reencrypt-verify') - 1]!.state.note!,
    /^users\.email_enc 19,999 of 19,999; users\.phone_enc 18,000 of 18,000: 100% under pii-enc-key@v2 alone\.$/,
  );

  // The keychain: v1 gone, v2 there; the .env copy and the dump are there, the dump readable by pg_restore.
  assert.equal((await secretToolLookup(session.env, 'keyturn', 'pii-enc-key@v1')).code, 1);
  const newKey = (await secretToolLookup(session.env, 'keyturn', 'pii-enc-key@v2')).value;
  assert.match(newKey, /^[A-Za-z0-9_-]{43}=$/);
  const backupEnv = (finished.steps[byOp('backup-file') - 1]!.step.action as { copy: string }).copy;
  assert.equal(
    envValues(parseEnv(readFileSync(join(session.dir, backupEnv), 'utf8'))).get('PII_ENC_KEY'),
    oldKey,
    'the copy is the original',
  );
  assert.equal(envValues(parseEnv(readFileSync(join(session.dir, '.env'), 'utf8'))).get('PII_ENC_KEY'), newKey, 'the app reads v2 alone');
  const dump = (finished.steps[byOp('backup-db') - 1]!.step.action as { file: string }).file;
  assert.match(execFileSync('pg_restore', ['--list', join(session.dir, dump)]).toString(), /TABLE DATA public users/);

  // Python judges every stored token: the new key alone opens it, with the same plaintext and the original timestamp.
  const rows = await db.rows('SELECT id, email_enc, phone_enc, name FROM users ORDER BY id');
  const judged = await pythonJudge(
    newKey,
    oldKey,
    rows.flatMap((r) => [r[1] as string | null, r[2] as string | null]),
  );
  rows.forEach((row, i) => {
    const s = seeded[i]!;
    assert.equal(row[3], `name ${s.id}`);
    const [email, phone] = [judged[2 * i], judged[2 * i + 1]];
    if (s.id === POISON_ID) assert.equal(email, null);
    else {
      assert.equal(Buffer.from(email!.underNew!, 'base64').toString(), s.email, `row ${s.id}`);
      assert.deepEqual([email!.underOld, email!.timestamp], [false, s.at], `row ${s.id}`);
    }
    if (s.phone === null) assert.equal(phone, null);
    else assert.equal(Buffer.from(phone!.underNew!, 'base64').toString(), s.phone, `row ${s.id}`);
  });

  // What is due now: nothing, the key is fresh; the audit log holds a line per step and verifies.
  const after = JSON.parse((await cli(['rotate', 'due', '--json'])).stdout) as DueReport;
  assert.deepEqual([after.entries[0]!.state, after.entries[0]!.version, after.exitCode], ['ok', 2, 0]);
  const audit = (JSON.parse((await ok(['audit', 'list', '--json'])).stdout) as { entries: AuditEntry[] }).entries;
  const stepLines = audit.filter((e) => e.action === 'rotate-step' && e.outcome === 'ok');
  for (const view of finished.steps)
    assert.ok(
      stepLines.some((e) => e.target === `plan:pii-2025#${view.step.n}` || e.target === `plan:pii-2025#${view.step.n}:manual`),
      `step ${view.step.n} has an audit line`,
    );
  assert.ok(
    audit.some((e) => e.action === 'job-finish' && e.key === 'pii-enc-key'),
    'the job left its own lines',
  );
  await ok(['audit', 'verify']);

  // No key and no database password in any file Keyturn wrote, or in anything it printed.
  const secrets = [oldKey, newKey, server.password];
  assert.deepEqual(filesHoldingSecrets(session.keyturnHome, secrets), []);
  assert.ok(!readFileSync(join(session.dir, 'rotation.md'), 'utf8').includes(server.password), 'the runbook names $DATABASE_URL only');
  for (const out of outputs) for (const secret of secrets) assert.ok(!out.includes(secret), 'an output holds a key or the password');
});
