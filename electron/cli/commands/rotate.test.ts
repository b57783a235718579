// `keyturn keys policy|revert` and `keyturn rotate` end to end: the real CLI in child processes against a real
// gnome-keyring on a private D-Bus session. Keys are read back with secret-tool, the calendar with ical.js, the audit
// log is verified, and every file and output is searched for the keys and the .env file's canary values.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { Inventory } from '../../../shared/domain/inventory.js';
import type { DueReport } from '../../../shared/rotation/policy.js';
import type { PlanStatus } from '../../node/services/rotation-service.js';
import { runCli, secretToolLookup, type CliRun } from '../../../test/support/run-cli.js';
import { filesHoldingSecrets } from '../../../test/support/secret-scan.js';
import { startSecretService, type SecretServiceSession } from '../../../test/support/secret-service.js';

const DAY = 86_400_000;
const CANARY = 'canary-env-value-Zq8pL2mX9vR4tW7y';

describe('keyturn rotate on an unlocked gnome-keyring', { timeout: 600_000 }, () => {
  let s: SecretServiceSession;
  const outputs: string[] = [];
  const stored: string[] = [CANARY];
  const cli = async (args: string[], cwd?: string): Promise<CliRun> => {
    const run = await runCli(args, { env: s.env, ...(cwd ? { cwd } : {}) });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const ok = async (args: string[], cwd?: string): Promise<CliRun> => {
    const run = await cli(args, cwd);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return run;
  };
  const value = async (account: string): Promise<string> => {
    const found = await secretToolLookup(s.env, 'keyturn', account);
    if (found.code === 0) stored.push(found.value);
    return found.code === 0 ? found.value : '';
  };
  /** Moves a key's current version back in time, as if it had been made `days` ago. */
  const age = (name: string, days: number): void => {
    const file = join(s.keyturnHome, 'inventory.json');
    const inventory = JSON.parse(readFileSync(file, 'utf8')) as Inventory;
    const key = inventory.keys.find((k) => k.name === name)!;
    key.versions.find((v) => v.version === key.current)!.created = new Date(Date.now() - days * DAY).toISOString();
    writeFileSync(file, JSON.stringify(inventory, null, 2));
  };

  before(async () => {
    s = await startSecretService({ unlocked: true });
    await ok(['generate', 'fernet', '--name', 'pii-enc-key', '--store']);
    await ok(['generate', 'jwt-hmac', '--name', 'jwt-secret-key', '--store', '--env-var', 'JWT_SECRET_KEY']);
    await ok(['generate', 'secret', '--name', 'secret-key', '--store', '--env-var', 'SECRET_KEY']);
    writeFileSync(
      join(s.dir, 'app.env'),
      [
        `SECRET_KEY=${CANARY}`,
        `JWT_SECRET_KEY=${CANARY}`,
        `PII_ENC_KEY=${CANARY}`,
        'JWT_EXPIRE_MINUTES=15',
        'REFRESH_TOKEN_EXPIRE_DAYS=7',
        `DATABASE_URL=postgresql://app:${CANARY}@127.0.0.1:5432/app`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  });
  after(async () => {
    await s?.stop();
  });

  test('keys policy shows the default, sets one, refuses a bad one with exit 2, and goes back to the default', async () => {
    assert.match(
      (await ok(['keys', 'policy', 'pii-enc-key'])).stdout,
      /^pii-enc-key: rotate every 180d, shown as due soon 30d before \(the default for its kind\)\.\nv1 was made/,
    );
    const set = JSON.parse((await ok(['keys', 'policy', 'jwt-secret-key', '--max-age', '30d', '--warn', '5d', '--json'])).stdout);
    assert.deepEqual([set.policy.maxAge, set.policy.warn, set.policy.source], ['30d', '5d', 'key']);
    assert.equal(set.due.state, 'ok');
    const warnOnly = await ok(['keys', 'policy', 'jwt-secret-key', '--warn', '7d']);
    assert.match(warnOnly.stdout, /rotate every 30d, shown as due soon 7d before \(set for this key\)/);
    const bad = await cli(['keys', 'policy', 'jwt-secret-key', '--max-age', '90']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /The maximum age \(--max-age\) takes a whole number of hours, days or weeks .*\[invalid-input\]/);
    const backwards = await cli(['keys', 'policy', 'jwt-secret-key', '--max-age', '7d', '--warn', '14d']);
    assert.equal(backwards.code, 2);
    assert.match(backwards.stderr, /The warning \(14d\) must be shorter than the maximum age \(7d\)/);
    assert.equal((await cli(['keys', 'policy', 'nope'])).code, 1);
    assert.match((await ok(['keys', 'policy', 'jwt-secret-key', '--default'])).stdout, /rotate every 90d, .*\(the default for its kind\)/);
  });

  test('rotate due exits 0 while nothing is past due, 1 once a key is; --json and an .ics calendar ical.js reads', async () => {
    const fresh = await ok(['rotate', 'due']);
    assert.match(fresh.stdout, /^0 past due, 0 due soon, 3 ok \(not listed; --all lists every key\)\.\n$/);
    age('pii-enc-key', 200);
    age('secret-key', 80);
    const due = await cli(['rotate', 'due']);
    assert.equal(due.code, 1, due.stderr);
    const lines = due.stdout.split('\n');
    assert.match(lines[0]!, /^STATE\s+KEY\s+KIND/);
    assert.match(lines[1]!, /^PAST DUE\s+pii-enc-key\s+fernet\s+v1\s+200 d\s+\d{4}-\d\d-\d\d\s+\(20 days ago\)\s+180d \(default\)$/);
    assert.match(lines[2]!, /^DUE SOON\s+secret-key\s+secret\s+v1\s+80 d\s+\S+\s+\(in 9 days\)\s+90d \(default\)$/);
    assert.match(due.stdout, /1 past due, 1 due soon, 1 ok .*\nPlan a rotation: keyturn rotate plan pii-enc-key --env-file \.env\n$/);
    const all = await cli(['rotate', 'due', '--all']);
    assert.match(all.stdout, /\nok\s+jwt-secret-key\s+jwt-hmac/);

    const ics = join(s.dir, 'due.ics');
    const json = await cli(['rotate', 'due', '--json', '--ics', ics]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as DueReport;
    assert.deepEqual(report.counts, { past: 1, near: 1, ok: 1 });
    assert.match(json.stderr, /^Wrote 3 due dates to .*due\.ics\.\n$/);
    const events = new ICAL.Component(ICAL.parse(readFileSync(ics, 'utf8'))).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const pii = events.find((e) => e.uid === 'pii-enc-key-v1-rotation-due@keyturn')!;
    assert.equal(pii.startDate.toString(), report.entries.find((e) => e.key === 'pii-enc-key')!.due.slice(0, 10));
    const again = await cli(['rotate', 'due', '--ics', ics]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; choose another file or pass --force/);
    assert.equal((await cli(['rotate', 'due', '--ics', ics, '--force'])).stderr.split('\n')[0], `Wrote 3 due dates to ${ics}.`);
  });

  test('a forced-switch JWT plan from the CLI: backup and new version by Keyturn, manual steps with notes, the overlap enforced', async () => {
    const planned = await ok(['rotate', 'plan', 'jwt-secret-key', '--env-file', 'app.env', '--id', 'jwt-1', '--out', 'jwt-1.md'], s.dir);
    assert.match(
      planned.stdout,
      /^Saved plan jwt-1: 6 steps, 4 run by Keyturn \(after you confirm\), 2 by hand\.\nWrote the runbook to .*jwt-1\.md\.\nNext: step 1 \(Back up app\.env\): keyturn rotate run-step jwt-1 1\n$/,
    );
    assert.match(readFileSync(join(s.dir, 'jwt-1.md'), 'utf8'), /^# Key Rotation Runbook: jwt-secret-key\n/);
    assert.equal(planned.stderr, '', 'app.env names JWT_SECRET_KEY: nothing to warn about');

    // No terminal and no --yes: nothing happens.
    const unconfirmed = await cli(['rotate', 'run-step', 'jwt-1', '1']);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /Step 1 of plan jwt-1: Back up app\.env\n[\s\S]*run again with --yes to confirm\. \[refused\]/);
    assert.equal(existsSync(join(s.dir, 'app.env.pre-rotation-')), false);

    // Run from another folder: the plan's paths are the folder it was made in.
    const one = await ok(['rotate', 'run-step', 'jwt-1', '1', '--yes']);
    assert.match(
      one.stdout,
      /^Step 1 done: Copied .*app\.env to .*app\.env\.pre-rotation-\d{8}T\d{4}Z-jwt-1\.\nNext: step 2 \(Add jwt-secret-key@v2 to the keychain\): keyturn rotate run-step jwt-1 2\n$/,
    );
    const v1 = await value('jwt-secret-key@v1');
    await ok(['rotate', 'run-step', 'jwt-1', '2', '--yes']);
    const v2 = await value('jwt-secret-key@v2');
    assert.ok(v2.length > 0 && v2 !== v1, 'a new value is stored as v2');
    const manual = await cli(['rotate', 'run-step', 'jwt-1', '3', '--yes']);
    assert.equal(manual.code, 1);
    assert.match(manual.stderr, /Keyturn cannot run step 3 itself; do it by hand, then: keyturn rotate done jwt-1 3 --note TEXT/);
    assert.equal((await cli(['rotate', 'done', 'jwt-1', '3'])).code, 2, '--note is required');
    for (const n of ['3', '4', '5']) await ok(['rotate', 'done', 'jwt-1', n, '--note', `done by ops (step ${n})`]);

    const early = await cli(['rotate', 'run-step', 'jwt-1', '6', '--yes']);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /Step 6 of jwt-1 cannot start: the overlap window runs until \d{4}-\d\d-\d\dT/);
    assert.equal(await value('jwt-secret-key@v1'), v1, 'v1 is still in the keychain');

    const status = await ok(['rotate', 'status', 'jwt-1']);
    assert.match(status.stdout, /^Plan jwt-1: Rotate jwt-secret-key \(5 of 6 steps done\)\n/);
    assert.match(status.stdout, /\[x\] {2}1 {2}Back up app\.env\n\s+done by Keyturn /);
    assert.match(status.stdout, /\[x\] {2}3 {2}Announce a maintenance window\n\s+done by hand .*: done by ops \(step 3\)\n/);
    assert.match(status.stdout, /\[ \] {2}6 {2}Retire jwt-secret-key@v1 {2}POINT OF NO RETURN\n\s+Keyturn runs it, not before /);
    assert.match(status.stdout, /Next: step 6, which cannot start yet: the overlap window runs until/);
    const json = JSON.parse((await ok(['rotate', 'status', 'jwt-1', '--json'])).stdout) as PlanStatus;
    assert.deepEqual([json.done, json.next, json.steps[5]!.runnable], [5, 6, true]);
    const due = JSON.parse((await cli(['rotate', 'due', '--json'])).stdout) as DueReport;
    assert.deepEqual(due.entries.find((e) => e.key === 'jwt-secret-key')!.rotation, { plan: 'jwt-1', done: 5, steps: 6 });
    assert.match((await ok(['rotate', 'status'])).stdout, /\njwt-1\s+jwt-secret-key\s+5\/6\s+step 6\s+\d{4}/);
  });

  test('a session secret rotated to the end with --overlap 0: the old version leaves the keychain; keys revert undoes a rotation', async () => {
    await ok([
      'rotate',
      'plan',
      'secret-key',
      '--env-file',
      join(s.dir, 'app.env'),
      '--id',
      'session-1',
      '--overlap',
      '0',
      '--backup-dir',
      'dumps',
    ]);
    const v1 = await value('secret-key@v1');
    const status = JSON.parse((await ok(['rotate', 'status', 'session-1', '--json'])).stdout) as PlanStatus;
    for (const view of status.steps) {
      if (view.runnable) await ok(['rotate', 'run-step', 'session-1', String(view.step.n), '--yes', '--json']);
      else await ok(['rotate', 'done', 'session-1', String(view.step.n), '--note', 'done in the maintenance window']);
    }
    assert.equal((await secretToolLookup(s.env, 'keyturn', 'secret-key@v1')).code, 1, 'v1 was retired');
    assert.ok((await value('secret-key@v2')).length > 0, 'v2 is in the keychain');
    const finished = await ok(['rotate', 'status', 'session-1']);
    assert.match(finished.stdout, /\(6 of 6 steps done\)[\s\S]*Every step is done\./);
    assert.equal(stored.includes(v1), true);

    // keys revert: the rollback of the new-version step, on another key.
    await ok(['keys', 'rotate', 'pii-enc-key']);
    const reverted = await ok(['keys', 'revert', 'pii-enc-key', '--to-version', '1']);
    assert.equal(
      reverted.stdout,
      'pii-enc-key@v1 is current again. v2 stay in the keychain, retiring; retire them with: keyturn keys retire pii-enc-key --version N --yes\n',
    );
    const shown = JSON.parse((await ok(['keys', 'show', 'pii-enc-key', '--json'])).stdout) as { key: { current: number } };
    assert.equal(shown.key.current, 1);
    assert.ok((await value('pii-enc-key@v2')).length > 0, 'v2 stays in the keychain');
    assert.equal((await cli(['keys', 'revert', 'pii-enc-key', '--to-version', 'x'])).code, 2);
    assert.equal((await cli(['keys', 'revert', 'pii-enc-key', '--to-version', '1'])).code, 1);
    await value('pii-enc-key@v1');
  });

  test('usage errors exit 2 and name the flag; export writes a runbook once, then only with --force', async () => {
    const cases: [string[], RegExp][] = [
      [['rotate', 'plan', 'pii-enc-key', '--table', 'users', '--columns', 'email'], /--table needs --db-env VAR/],
      [['rotate', 'plan', 'pii-enc-key', '--db-env', 'DATABASE_URL'], /Name the tables to re-encrypt/],
      [['rotate', 'plan', 'pii-enc-key', '--db-env', 'DATABASE_URL', '--table', 'users'], /Give each --table its --columns/],
      [
        ['rotate', 'plan', 'pii-enc-key', '--db-env', 'DATABASE_URL', '--table', 'u;drop', '--columns', 'a', '--env-file', 'app.env'],
        /A table is a name/,
      ],
      [['rotate', 'plan', 'pii-enc-key', '--profile', 'nope'], /There is no profile "nope"/],
      [['rotate', 'run-step', 'jwt-1', 'two'], /the step number takes a whole number/],
      [['rotate', 'run-step', 'jwt-1', '99', '--yes'], /Plan jwt-1 has steps 1 to 6/],
      [['rotate', 'done', 'jwt-1', '6', '--note', ''], /Say what was done with --note/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args, s.dir);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    const md = join(s.dir, 'export.md');
    assert.match((await ok(['rotate', 'export', 'jwt-1', '--out', md])).stdout, /^Wrote the runbook to .*export\.md\.\n$/);
    assert.equal(readFileSync(md, 'utf8'), readFileSync(join(s.dir, 'jwt-1.md'), 'utf8'));
    assert.equal((await cli(['rotate', 'export', 'jwt-1', '--out', md])).code, 1);
    const asJson = await ok(['rotate', 'export', 'jwt-1', '--format', 'json']);
    assert.equal(JSON.parse(asJson.stdout).id, 'jwt-1');
    assert.equal((await cli(['rotate', 'status', 'missing-plan'])).code, 1);
  });

  test('every step left an audit line, the chain verifies, and no key or .env value is in any file or output', async () => {
    const audit = JSON.parse((await ok(['audit', 'list', '--json'])).stdout) as { entries: AuditEntry[] };
    const jwt = audit.entries.filter((e) => e.target?.startsWith('plan:jwt-1'));
    assert.deepEqual(
      jwt.map((e) => [e.action, e.target, e.outcome, e.code ?? '']),
      [
        ['rotate-plan', 'plan:jwt-1', 'ok', ''],
        ['rotate-step', 'plan:jwt-1#1', 'refused', 'refused'],
        ['rotate-step', 'plan:jwt-1#1', 'ok', ''],
        ['rotate-step', 'plan:jwt-1#2', 'ok', ''],
        ['rotate-step', 'plan:jwt-1#3', 'refused', 'refused'],
        ['rotate-step', 'plan:jwt-1#3:manual', 'ok', ''],
        ['rotate-step', 'plan:jwt-1#4:manual', 'ok', ''],
        ['rotate-step', 'plan:jwt-1#5:manual', 'ok', ''],
        ['rotate-step', 'plan:jwt-1#6', 'refused', 'refused'],
        ['rotate-step', 'plan:jwt-1#6:manual', 'refused', 'invalid-input'],
      ],
    );
    assert.match(jwt[2]!.detail ?? '', /^Copied .*app\.env to .*app\.env\.pre-rotation-\d{8}T\d{4}Z-jwt-1\.$/);
    const has = (what: string, match: (e: AuditEntry) => boolean) => assert.equal(audit.entries.filter(match).length, 1, what);
    has('the new version', (e) => e.action === 'rotate' && e.key === 'jwt-secret-key' && e.version === 2);
    has('the retire', (e) => e.action === 'retire' && e.key === 'secret-key' && e.version === 1 && e.outcome === 'ok');
    has('the revert', (e) => e.action === 'revert' && e.key === 'pii-enc-key' && e.version === 1 && e.outcome === 'ok');
    has('the policy', (e) => e.action === 'policy' && e.detail === 'max age 30d, warn 5d');
    assert.match((await ok(['audit', 'verify'])).stdout, /intact|ok/i);
    assert.deepEqual(filesHoldingSecrets(s.keyturnHome, stored), []);
    for (const out of outputs) for (const secret of stored) assert.ok(!out.includes(secret), 'an output holds a key or an .env value');
  });
});
