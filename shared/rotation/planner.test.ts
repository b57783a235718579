// The planner over every key kind and every combination of .env files, push targets and databases: the invariants any
// plan must hold (order, rollback up to the point of no return, checks, waits, runners), then each kind's own rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyturnError } from '../domain/errors.js';
import {
  AWS_BUNDLE,
  AZURE_KV,
  JWT_HS,
  JWT_RS,
  PII,
  PII_DB,
  RESUMERAG_ENV,
  RUNNABLE_NOW,
  SESSION,
  input,
  keyRecord,
} from './fixtures.test-support.js';
import { DAY_MS } from './durations.js';
import { needsPeople } from './hands-only.js';
import { planRotation } from './planner.js';
import { renderMarkdown } from './render-markdown.js';
import type { EnvFileFacts, PlanInput, PushTargetInput, RotationPlan, StepOp } from './types.js';

const envWith = (extra: string[], lifetimes = RESUMERAG_ENV.lifetimes): EnvFileFacts => ({
  ...RESUMERAG_ENV,
  variables: [...RESUMERAG_ENV.variables, ...extra],
  lifetimes,
});

const TARGET_SETS: [string, PushTargetInput[]][] = [
  ['no targets', []],
  ['aws', [AWS_BUNDLE]],
  ['azure', [AZURE_KV]],
  ['aws+azure', [AWS_BUNDLE, AZURE_KV]],
];
const ENV_SETS: [string, EnvFileFacts[]][] = [
  ['no env', []],
  ['env', [RESUMERAG_ENV]],
  ['env with accepted lists', [envWith(['JWT_SECRET_KEYS', 'SECRET_KEY_FALLBACKS'])]],
];
const KEYS = [
  PII,
  JWT_HS,
  JWT_RS,
  SESSION,
  keyRecord('jwt-ec-key', 'jwt-ec', { alg: 'ES256' }),
  keyRecord('ed-key', 'jwt-ed25519', { alg: 'EdDSA' }),
];

const ids = (plan: RotationPlan): string[] => plan.steps.map((s) => s.id);
const pos = (plan: RotationPlan, pattern: RegExp): number => {
  const i = plan.steps.findIndex((s) => pattern.test(s.id));
  assert.ok(i >= 0, `no step matches ${pattern}: ${ids(plan).join(' ')}`);
  return i;
};
const posAll = (plan: RotationPlan, pattern: RegExp): number[] => plan.steps.flatMap((s, i) => (pattern.test(s.id) ? [i] : []));

function invariants(plan: RotationPlan, given: PlanInput, label: string): void {
  const runnable = new Set(given.runnable ?? []);
  assert.deepEqual(
    plan.steps.map((s) => s.n),
    plan.steps.map((_, i) => i + 1),
    label,
  );
  assert.equal(new Set(ids(plan)).size, plan.steps.length, `${label}: unique ids`);
  for (const s of plan.steps) {
    assert.ok(s.title.length > 0 && s.why.length > 0 && s.check.expect.length > 0, `${label}: step ${s.n} is complete`);
    if (s.pointOfNoReturn) assert.equal(s.rollback, undefined, `${label}: no rollback past the point of no return`);
    else assert.ok(s.rollback && s.rollback.text.length > 0, `${label}: step ${s.n} (${s.id}) has a rollback`);
    if (s.runner.mode === 'automatic')
      assert.ok(s.action && runnable.has(s.action.op), `${label}: step ${s.n} automatic only when runnable`);
    if (s.action && runnable.has(s.action.op) && !needsPeople(s.action) && s.runner.mode === 'manual')
      assert.fail(`${label}: step ${s.n} should be automatic`);
    if (s.action && needsPeople(s.action)) assert.equal(s.runner.mode, 'manual', `${label}: step ${s.n} needs people`);
    if (s.wait) assert.ok(s.wait.afterStep < s.n && s.wait.ms > 0, `${label}: a wait follows an earlier step`);
    assert.ok(!/undefined|NaN|\[object/.test(JSON.stringify(s)), `${label}: step ${s.n} has no holes`);
  }
  // One point of no return per key: retiring its old version, the key's last step, after a wait of its overlap.
  assert.equal(plan.pointsOfNoReturn.length, plan.keys.length, label);
  for (const k of plan.keys) {
    const mine = plan.steps.filter((s) => s.key === k.name);
    const last = mine[mine.length - 1]!;
    assert.equal(last.id, `${k.name}:retire`, `${label}: retire is the last step of ${k.name}`);
    assert.ok(last.pointOfNoReturn);
    assert.deepEqual(last.action, { op: 'retire', key: k.name, version: k.from });
    const waits = mine.filter((s) => s.wait);
    assert.equal(waits.length, 1, `${label}: one overlap wait for ${k.name}`);
    assert.equal(waits[0]!.wait!.ms, k.overlap.ms);
    assert.ok(mine.indexOf(waits[0]!) > mine.findIndex((s) => s.phase === 'switch'), `${label}: the wait comes after the switch`);
  }
  // Phases never go backwards within a key.
  const order = { prepare: 0, publish: 1, switch: 2, retire: 3 };
  for (const k of plan.keys) {
    const phases = plan.steps.filter((s) => s.key === k.name).map((s) => order[s.phase]);
    assert.deepEqual(phases, [...phases].sort(), `${label}: phases in order`);
  }
}

test('every kind x .env files x targets (x databases for Fernet) gives a plan that holds the invariants', () => {
  let plans = 0;
  for (const key of KEYS) {
    for (const [envLabel, envFiles] of ENV_SETS) {
      for (const [targetLabel, targets] of TARGET_SETS) {
        for (const databases of key.kind === 'fernet' ? [[], [PII_DB]] : [[]]) {
          const given = input({ keys: [key], envFiles, targets, databases });
          const label = `${key.kind} / ${envLabel} / ${targetLabel} / ${databases.length} db`;
          invariants(planRotation(given), given, label);
          plans += 1;
        }
      }
    }
  }
  assert.equal(plans, 2 * 3 * 4 + 5 * 3 * 4);
});

test('Fernet: backup, new version, escrow, both keys, re-encrypt, verify 100%, new key alone, then retire after the overlap', () => {
  const plan = planRotation(input({ envFiles: [RESUMERAG_ENV], databases: [PII_DB] }));
  const order = [
    /^backup-env:infra\/.env$/,
    /^backup-db:1$/,
    /:new-version$/,
    /:escrow$/,
    /:both-keys:infra\/.env$/,
    /:deploy-both$/,
    /:reencrypt:1:pii_store$/,
    /:verify:1:pii_store$/,
    /:reencrypt:1:users$/,
    /:verify:1:users$/,
    /:new-key-alone:infra\/.env$/,
    /:deploy-new$/,
    /:retire$/,
  ];
  assert.deepEqual(
    order.map((re) => pos(plan, re)),
    order.map((_, i) => i),
  );
  const both = plan.steps[4]!;
  assert.deepEqual(both.action, { op: 'env-set', file: 'infra/.env', variable: 'PII_ENC_KEY', refs: ['pii-enc-key@v2', 'pii-enc-key@v1'] });
  assert.equal(both.check.expect, '2 key(s)');
  const deploy = plan.steps[5]!;
  assert.ok(deploy.notes!.some((n) => n.includes('MultiFernet([Fernet(k) for k in os.environ["PII_ENC_KEY"].split(",")])')));
  const verify = plan.steps[7]!;
  assert.equal(
    verify.check.expect,
    [
      '    email_enc        new key alone opens N of N tokens (100%), NULL n, empty n',
      '    phone_enc        new key alone opens N of N tokens (100%), NULL n, empty n',
      'Every token opens under the new key alone: the old version can be retired.',
    ].join('\n'),
  );
  assert.deepEqual(verify.action, {
    op: 'reencrypt-verify',
    key: 'pii-enc-key',
    engine: 'postgresql',
    urlVar: 'DATABASE_URL',
    envFile: 'infra/.env',
    table: 'pii_store',
    columns: ['email_enc', 'phone_enc'],
    pk: 'id',
  });
  const backup = plan.steps[1]!;
  assert.match(
    backup.command!,
    /pg_dump --format=custom --no-password --file=backups\/database_url-pre-rotation-20250301T0900Z-rotation-2025-03\.dump "postgresql:\$\{DATABASE_URL#\*:\}"/,
  );
  assert.match(backup.check.command!, /^test -s .* && pg_restore --list /);
  assert.equal(plan.steps[12]!.wait!.afterStep, 12);
  assert.equal(plan.steps[12]!.wait!.ms, 7 * DAY_MS);
  assert.equal(plan.risk, 'high');
  assert.deepEqual(plan.warnings, []);
});

test('Fernet without a database: the plan says so and keeps a manual re-encryption step; without escrow, a reminder', () => {
  const plan = planRotation(input({ envFiles: [RESUMERAG_ENV] }));
  assert.ok(plan.warnings.some((w) => w.startsWith('No database was given for pii-enc-key')));
  const re = plan.steps[pos(plan, /:reencrypt$/)]!;
  assert.equal(re.runner.mode, 'manual');
  assert.equal(plan.steps.filter((s) => s.id.startsWith('backup-db')).length, 0);
  const escrow = plan.steps[pos(plan, /:escrow$/)]!;
  assert.match(escrow.why, /has no offline escrow/);
  assert.equal(escrow.command, 'keyturn escrow create --keys pii-enc-key@v2 --shares 5 --threshold 3 --out escrow/pii-enc-key');
  const withEscrow = planRotation(
    input({
      envFiles: [RESUMERAG_ENV],
      escrow: [{ key: 'pii-enc-key', bundle: 'escrow/pii.age' }],
      runnable: [...RUNNABLE_NOW, 'escrow-update'],
    }),
  );
  const update = withEscrow.steps[pos(withEscrow, /:escrow$/)]!;
  assert.equal(update.command, 'keyturn escrow add-version --bundle escrow/pii.age');
  assert.equal(update.runner.mode, 'automatic');
  assert.match(withEscrow.steps.at(-1)!.effect!, /Only the offline escrow can bring pii-enc-key@v1 back/);
});

test('MySQL and SQLite databases get their own dump, check and restore commands', () => {
  const mysql = planRotation(input({ databases: [{ ...PII_DB, engine: 'mysql', envFile: '.env' }] })).steps[0]!;
  assert.match(
    mysql.command!,
    /mysqldump --single-transaction --routines --host="\$host" --port="\$port" --user="\$user" --result-file=backups\/database_url-pre-rotation-20250301T0900Z-rotation-2025-03\.sql "\$db"/,
  );
  assert.match(mysql.command!, /export MYSQL_PWD=/);
  assert.match(mysql.check.command!, /grep -q '\^-- Dump completed'/);
  const sqlite = planRotation(input({ databases: [{ ...PII_DB, engine: 'sqlite' }] })).steps[0]!;
  assert.match(
    sqlite.command!,
    /sqlite3 "\$\{DATABASE_URL#sqlite:\/\/\/\}" "\.backup 'backups\/database_url-pre-rotation-20250301T0900Z-rotation-2025-03\.sqlite3'"/,
  );
  assert.match(sqlite.rollback!.command!, /^set -a; \. infra\/\.env; set \+a/);
});

test('AWS: push as AWSPENDING with both keys, deploy, promote after verification; the app reads both stages meanwhile', () => {
  const plan = planRotation(input({ envFiles: [RESUMERAG_ENV], databases: [PII_DB], targets: [AWS_BUNDLE] }));
  const pending = pos(plan, /:push-pending:prod-aws$/);
  const promote = pos(plan, /:promote:prod-aws$/);
  assert.ok(pending < pos(plan, /:deploy-both$/));
  assert.ok(promote > pos(plan, /:verify:1:users$/) && promote < pos(plan, /:deploy-new$/));
  assert.equal(
    plan.steps[pending]!.command,
    'keyturn push pii-enc-key@v2 --to prod-aws --bundle resumerag/production --stage pending --yes',
  );
  assert.equal(plan.steps[promote]!.rollback!.command, 'keyturn push promote pii-enc-key@v1 --to prod-aws');
  const forms = plan.steps[pos(plan, /:deploy-both$/)]!.notes!.join('\n');
  assert.match(forms, /VersionStage=st\) for st in \("AWSPENDING", "AWSCURRENT"\)/);
  assert.match(forms, /json\.loads\(s\["SecretString"\]\)\["PII_ENC_KEY"\]/);
  assert.equal(posAll(plan, /disable-old/).length, 0, 'AWS has no version to disable');
});

test('Azure: a new version in the publish phase, the old one disabled after the overlap and before the keychain retire', () => {
  const plan = planRotation(input({ keys: [PII], envFiles: [RESUMERAG_ENV], databases: [PII_DB], targets: [AZURE_KV] }));
  const pushed = plan.steps[pos(plan, /:push-version:resumerag-kv$/)]!;
  assert.equal(pushed.phase, 'publish');
  assert.equal(pushed.command, 'keyturn push pii-enc-key@v2 --to resumerag-kv --yes');
  const disable = pos(plan, /:disable-old:resumerag-kv$/);
  assert.equal(disable, plan.steps.length - 2);
  const step = plan.steps[disable]!;
  assert.ok(step.wait && step.wait.afterStep === pos(plan, /:deploy-new$/) + 1);
  assert.match(step.command!, /--name pii-enc-key --query "\[\?tags\.\\"keyturn:version\\"=='1'\]\.id"/);
  assert.match(step.command!, /az keyvault secret set-attributes --id "\$id" --enabled false$/);
  assert.match(step.rollback!.command!, /--enabled true$/);
  assert.equal(plan.steps.at(-1)!.wait, undefined, 'the retire follows the disable without a second wait');
  assert.equal(posAll(plan, /promote/).length, 0, 'Azure has nothing to promote');
});

test('the overlap arithmetic: JWT_EXPIRE_MINUTES=15 with 7-day refresh tokens gives 7 days', () => {
  const plan = planRotation(input({ keys: [JWT_HS], envFiles: [envWith(['JWT_SECRET_KEYS'])] }));
  const k = plan.keys[0]!;
  assert.equal(k.overlap.ms, 7 * DAY_MS);
  assert.equal(k.overlap.source, 'env');
  assert.deepEqual(k.overlap.basis, [
    'JWT_EXPIRE_MINUTES=15 (infra/.env) = 15 minutes',
    'REFRESH_TOKEN_EXPIRE_DAYS=7 (infra/.env) = 7 days',
    'overlap = the longest of these = 7 days',
  ]);
  const alone = planRotation(
    input({ keys: [JWT_HS], envFiles: [envWith(['JWT_SECRET_KEYS'], [{ variable: 'ACCESS_TOKEN_EXPIRE_MINUTES', value: 480 }])] }),
  );
  assert.equal(alone.keys[0]!.overlap.ms, 8 * 3_600_000);
  assert.deepEqual(alone.keys[0]!.overlap.basis, [
    'ACCESS_TOKEN_EXPIRE_MINUTES=480 (infra/.env) = 8 hours',
    'overlap = this lifetime = 8 hours',
  ]);
  // The longest across files, and --overlap over everything.
  const two = planRotation(
    input({
      keys: [JWT_HS],
      envFiles: [
        envWith(['JWT_SECRET_KEYS']),
        { path: 'worker/.env', variables: ['JWT_REFRESH_EXPIRE_DAYS'], lifetimes: [{ variable: 'JWT_REFRESH_EXPIRE_DAYS', value: 30 }] },
      ],
    }),
  );
  assert.equal(two.keys[0]!.overlap.ms, 30 * DAY_MS);
  assert.equal(
    planRotation(input({ keys: [JWT_HS], envFiles: [envWith(['JWT_SECRET_KEYS'])], overlap: '36h' })).keys[0]!.overlap.ms,
    36 * 3_600_000,
  );
  // Not lifetimes: lockout durations; session lifetimes do not bound JWTs.
  const lockout = planRotation(
    input({
      keys: [JWT_RS],
      envFiles: [
        {
          path: '.env',
          variables: [],
          lifetimes: [
            { variable: 'LOCKOUT_DURATION_MINUTES', value: 15 },
            { variable: 'SESSION_TIMEOUT_MINUTES', value: 60 },
          ],
        },
      ],
    }),
  );
  assert.equal(lockout.keys[0]!.overlap.source, 'default');
  assert.match(lockout.keys[0]!.overlap.basis[0]!, /no token lifetime was found/);
});

test('HS256 with a list of accepted secrets: accept both, sign with the new one, drop the old one after the overlap; nobody is logged out', () => {
  const plan = planRotation(input({ keys: [JWT_HS], envFiles: [envWith(['JWT_SECRET_KEYS'])] }));
  const accept = plan.steps[pos(plan, /:accept-both:/)]!;
  assert.deepEqual(accept.action, {
    op: 'env-set',
    file: 'infra/.env',
    variable: 'JWT_SECRET_KEYS',
    refs: ['jwt-secret-key@v2', 'jwt-secret-key@v1'],
  });
  assert.ok(pos(plan, /:deploy-accept$/) < pos(plan, /:sign-new:/));
  const drop = plan.steps[pos(plan, /:accept-new:/)]!;
  assert.equal(drop.wait!.ms, 7 * DAY_MS);
  assert.equal(drop.wait!.afterStep, pos(plan, /:deploy-sign$/) + 1);
  assert.equal(posAll(plan, /maintenance-window/).length, 0);
  assert.match(plan.keys[0]!.effects[0]!, /^None for users: the application accepts both secrets \(JWT_SECRET_KEYS\)/);
  assert.equal(plan.risk, 'low');
});

test('HS256 without such a list: a planned forced logout, stated plainly, in a maintenance window', () => {
  const plan = planRotation(input({ keys: [JWT_HS], envFiles: [RESUMERAG_ENV] }));
  const window = plan.steps[pos(plan, /:maintenance-window$/)]!;
  assert.match(
    window.effect!,
    /^Every user is logged out at the switch: access and refresh tokens signed with jwt-secret-key@v1 stop verifying/,
  );
  assert.match(window.effect!, /no JWT_SECRET_KEYS, JWT_SECRET_KEY_LIST, JWT_SECRET_KEY_FALLBACKS or similar list was found/);
  const deploy = plan.steps[pos(plan, /:deploy-new$/)]!;
  assert.equal(deploy.effect, window.effect);
  assert.ok(pos(plan, /:maintenance-window$/) < pos(plan, /:new-secret:/));
  assert.equal(plan.keys[0]!.overlap.ms, DAY_MS, 'the old secret is kept a day for rollback only');
  assert.equal(plan.downtime, 'none, but every user must sign in again at the switch');
  assert.equal(plan.risk, 'medium');
  // An explicit list variable turns the same key into the graceful plan.
  const explicit = planRotation(
    input({ keys: [JWT_HS], envFiles: [RESUMERAG_ENV], acceptedSecretsVar: { 'jwt-secret-key': 'JWT_VERIFY_KEYS' } }),
  );
  assert.equal(posAll(explicit, /maintenance-window/).length, 0);
  assert.equal(explicit.steps[pos(explicit, /:accept-both:/)]!.action!.op, 'env-set');
});

test('RS256: a JWKS with both kids is published before the signer switches; the old kid leaves after the overlap', () => {
  const plan = planRotation(
    input({ keys: [JWT_RS], envFiles: [RESUMERAG_ENV], app: { jwksUrl: 'https://api.example.com/.well-known/jwks.json' } }),
  );
  const both = plan.steps[pos(plan, /:jwks-both$/)]!;
  assert.equal(both.command, 'keyturn keys export jwt-signing-key --all-versions --format jwks > jwks.json');
  assert.match(both.why, /jwt-signing-key@v1's is kid-of-jwt-signing-key-v1\./);
  const published = plan.steps[pos(plan, /:publish-jwks-both$/)]!;
  assert.match(published.check.command!, /^curl -fsS https:\/\/api\.example\.com\/\.well-known\/jwks\.json \| python3 -c/);
  assert.equal(published.check.expect, '2 key(s)');
  assert.ok(pos(plan, /:publish-jwks-both$/) < pos(plan, /:sign-new:/));
  const newOnly = plan.steps[pos(plan, /:jwks-new$/)]!;
  assert.equal(newOnly.command, 'keyturn keys export jwt-signing-key@v2 --format jwks > jwks.json');
  assert.equal(newOnly.wait!.ms, 7 * DAY_MS);
  assert.equal(posAll(plan, /maintenance-window/).length, 0);
});

test('SECRET_KEY: sessions and CSRF tokens become invalid, in a maintenance window; with SECRET_KEY_FALLBACKS nobody is logged out', () => {
  const plan = planRotation(input({ keys: [SESSION], envFiles: [RESUMERAG_ENV] }));
  assert.match(
    plan.keys[0]!.effects[0]!,
    /^Sessions and CSRF tokens signed with SECRET_KEY become invalid at the switch: every user is logged out/,
  );
  assert.ok(posAll(plan, /:maintenance-window$/).length === 1);
  const graceful = planRotation(input({ keys: [SESSION], envFiles: [envWith(['SECRET_KEY_FALLBACKS'])] }));
  assert.equal(posAll(graceful, /maintenance-window/).length, 0);
  assert.deepEqual(graceful.steps[pos(graceful, /:accept-both:/)]!.action, {
    op: 'env-set',
    file: 'infra/.env',
    variable: 'SECRET_KEY_FALLBACKS',
    refs: ['secret-key@v2', 'secret-key@v1'],
  });
  assert.equal(graceful.keys[0]!.overlap.ms, 14 * DAY_MS, 'no session lifetime found: two weeks');
  const withLifetime = planRotation(
    input({ keys: [SESSION], envFiles: [envWith(['SECRET_KEY_FALLBACKS'], [{ variable: 'SESSION_EXPIRE_HOURS', value: 12 }])] }),
  );
  assert.equal(withLifetime.keys[0]!.overlap.ms, 12 * 3_600_000);
});

test('several keys: backups once, each key finished before the next, one point of no return each', () => {
  const plan = planRotation(input({ keys: [PII, JWT_HS, SESSION], envFiles: [RESUMERAG_ENV], databases: [PII_DB] }));
  assert.equal(posAll(plan, /^backup-env:/).length, 1);
  assert.equal(posAll(plan, /^backup-db:/).length, 1);
  assert.equal(plan.pointsOfNoReturn.length, 3);
  const keysInOrder = plan.steps.filter((s) => s.key).map((s) => s.key);
  assert.deepEqual([...new Set(keysInOrder)], ['pii-enc-key', 'jwt-secret-key', 'secret-key']);
  assert.equal(plan.title, 'Rotate pii-enc-key, jwt-secret-key, secret-key');
});

test('steps are automatic exactly when Keyturn can run their operation', () => {
  const none = planRotation(input({ envFiles: [RESUMERAG_ENV], databases: [PII_DB], runnable: [] }));
  assert.ok(none.steps.every((s) => s.runner.mode === 'manual'));
  const all = planRotation(
    input({
      envFiles: [RESUMERAG_ENV],
      databases: [PII_DB],
      targets: [AWS_BUNDLE],
      runnable: [
        'backup-file',
        'backup-db',
        'new-version',
        'escrow-update',
        'env-set',
        'push',
        'promote',
        'reencrypt',
        'reencrypt-verify',
        'retire',
      ],
    }),
  );
  const manual = all.steps.filter((s) => s.runner.mode === 'manual').map((s) => s.id);
  assert.deepEqual(
    manual,
    ['pii-enc-key:escrow', 'pii-enc-key:deploy-both', 'pii-enc-key:deploy-new'],
    'only the first escrow (custodians must be there) and the restarts stay with the user',
  );
  const pending = all.steps.find((s) => s.id.includes('push-pending'))!;
  assert.deepEqual(pending.runner, { mode: 'automatic', service: 'push' });
});

test('an escrow update is automatic only when the key has a bundle: a first escrow needs its custodians', () => {
  const runnable: StepOp[] = ['escrow-update'];
  const first = planRotation(input({ runnable }));
  const create = first.steps[pos(first, /:escrow$/)]!;
  assert.deepEqual(
    [create.runner, create.action],
    [
      { mode: 'manual', service: 'escrow' },
      { op: 'escrow-update', key: 'pii-enc-key', version: 2 },
    ],
  );
  const escrowed = planRotation(input({ runnable, escrow: [{ key: 'pii-enc-key', bundle: 'escrow/pii' }] }));
  const update = escrowed.steps[pos(escrowed, /:escrow$/)]!;
  assert.deepEqual(
    [update.runner, update.action],
    [
      { mode: 'automatic', service: 'escrow' },
      { op: 'escrow-update', key: 'pii-enc-key', version: 2, bundle: 'escrow/pii' },
    ],
  );
});

test("a push step's action names the same bundle or secret and stage as its command", () => {
  const targets: PushTargetInput[] = [
    AWS_BUNDLE,
    { kind: 'aws', name: 'named', secret: 'app/pii' },
    { kind: 'aws', name: 'plain' },
    AZURE_KV,
  ];
  const plan = planRotation(input({ envFiles: [RESUMERAG_ENV], targets }));
  const pushes = plan.steps.filter((s) => s.action?.op === 'push').map((s) => [s.action, s.command]);
  assert.deepEqual(pushes, [
    [
      { op: 'push', key: 'pii-enc-key', version: 2, target: 'prod-aws', stage: 'pending', bundle: 'resumerag/production' },
      'keyturn push pii-enc-key@v2 --to prod-aws --bundle resumerag/production --stage pending --yes',
    ],
    [
      { op: 'push', key: 'pii-enc-key', version: 2, target: 'named', stage: 'pending', secretName: 'app/pii' },
      'keyturn push pii-enc-key@v2 --to named --secret-name app/pii --stage pending --yes',
    ],
    [
      { op: 'push', key: 'pii-enc-key', version: 2, target: 'plain', stage: 'pending' },
      'keyturn push pii-enc-key@v2 --to plain --stage pending --yes',
    ],
    [{ op: 'push', key: 'pii-enc-key', version: 2, target: 'resumerag-kv' }, 'keyturn push pii-enc-key@v2 --to resumerag-kv --yes'],
  ]);
});

test('a key whose variable is in none of the .env files is written to them with a warning; paths with spaces are quoted', () => {
  const plan = planRotation(
    input({
      keys: [keyRecord('api-key', 'jwt-hmac', { envVar: 'API_SIGNING_KEY' })],
      envFiles: [{ path: 'my app/.env', variables: ['OTHER'], lifetimes: [] }],
    }),
  );
  assert.match(plan.warnings[0]!, /^API_SIGNING_KEY \(api-key\) is in none of the \.env files given/);
  assert.equal(plan.steps[0]!.command, "cp -p 'my app/.env' 'my app/.env.pre-rotation-20250301T0900Z-rotation-2025-03'");
  assert.match(
    plan.steps.find((s) => s.action?.op === 'env-set')!.command!,
    /^keyturn env set 'my app\/\.env' API_SIGNING_KEY --from-key api-key@v2$/,
  );
});

test('bad input is refused with a coded sentence', () => {
  const codeOf = (over: Partial<PlanInput>): string => {
    try {
      planRotation(input(over));
    } catch (error) {
      assert.ok(error instanceof KeyturnError);
      return error.code;
    }
    return 'none';
  };
  assert.equal(codeOf({ keys: [] }), 'usage');
  assert.equal(codeOf({ keys: [PII, PII] }), 'usage');
  assert.equal(codeOf({ id: '../etc' }), 'invalid-input');
  assert.equal(codeOf({ now: 'yesterday' }), 'invalid-input');
  assert.equal(codeOf({ keys: [JWT_HS], databases: [PII_DB] }), 'usage');
  assert.equal(codeOf({ databases: [{ ...PII_DB, urlVar: 'postgres://u:p@h/db' }] }), 'invalid-input');
  assert.equal(codeOf({ databases: [{ ...PII_DB, tables: [{ table: 't', columns: [] }] }] }), 'usage');
  assert.equal(codeOf({ targets: [{ ...AZURE_KV, bundle: 'x' }] }), 'usage');
  const retired = keyRecord('old', 'fernet');
  retired.versions[0]!.status = 'retired';
  assert.equal(codeOf({ keys: [retired] }), 'refused');
  assert.equal(codeOf({ overlap: '7' }), 'invalid-input');
});

test('the next version skips retired numbers, as the vault does', () => {
  const k = keyRecord('pii', 'fernet', { versions: 3 });
  const plan = planRotation(input({ keys: [k] }));
  assert.deepEqual([plan.keys[0]!.from, plan.keys[0]!.to], [3, 4]);
  assert.equal(plan.steps.at(-1)!.command, 'keyturn keys retire pii --version 3 --yes');
});

test('--overlap 0: no wait before the retire steps, and a warning that says what it costs', () => {
  const fernet = planRotation(input({ envFiles: [RESUMERAG_ENV], databases: [PII_DB], targets: [AZURE_KV], overlap: '0' }));
  assert.equal(fernet.keys[0]!.overlap.ms, 0);
  assert.equal(fernet.keys[0]!.overlap.source, 'override');
  assert.deepEqual(
    fernet.steps.filter((s) => s.wait),
    [],
  );
  assert.ok(fernet.warnings.some((w) => /no overlap window .*caches, queues, exports/.test(w)));
  const jwt = planRotation(input({ keys: [JWT_HS], envFiles: [envWith(['JWT_SECRET_KEYS'])], overlap: '0h' }));
  assert.equal(jwt.keys[0]!.overlap.ms, 0);
  assert.ok(jwt.warnings.some((w) => /must sign in again/.test(w)));
  assert.ok(!renderMarkdown(fernet).includes('**Not before**'));
  assert.throws(() => planRotation(input({ overlap: '00' })), { code: 'invalid-input' });
});

test('--profile adds the env check of each file to the checklist and to every step that writes it', () => {
  const plan = planRotation(input({ envFiles: [RESUMERAG_ENV], profile: 'resumerag-phase2' }));
  assert.ok(plan.before.includes('Check the .env files pass their profile: keyturn env check infra/.env --profile resumerag-phase2'));
  const writes = plan.steps.filter((s) => s.action?.op === 'env-set');
  assert.ok(writes.length >= 2);
  for (const s of writes) assert.ok(s.notes!.some((n) => n.endsWith('keyturn env check infra/.env --profile resumerag-phase2')));
  assert.ok(!JSON.stringify(planRotation(input({ envFiles: [RESUMERAG_ENV] }))).includes('--profile'));
});

test('table and column names are plain SQL identifiers (they reach shell commands and queries)', () => {
  const bad = (table: string, columns: string[], pk?: string) => () =>
    planRotation(input({ databases: [{ ...PII_DB, tables: [{ table, columns, ...(pk ? { pk } : {}) }] }] }));
  assert.throws(bad('users; drop table x', ['email']), { code: 'invalid-input' });
  assert.throws(bad('users', ['email', "x' or 1=1"]), { code: 'invalid-input' });
  assert.throws(bad('users', ['email'], 'id,name'), { code: 'invalid-input' });
  assert.doesNotThrow(bad('app.users', ['email_enc', 'phone$2'], 'user_id'));
});
