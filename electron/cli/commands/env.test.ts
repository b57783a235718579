// `keyturn env` as a real child process: exit codes 0/1/2, JSON and SARIF documents, and no value in any output.
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { runCli, type CliRun } from '../../../test/support/run-cli.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'env');
const require = createRequire(import.meta.url);

function keyturn(cwd: string, ...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd, env: { HOME: cwd, KEYTURN_HOME: join(cwd, '.keyturn-home') } });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyturn-envcli-'));
  await cp(FIXTURES, join(dir, 'fx'), { recursive: true });
  const chmodAll = async (d: string): Promise<void> => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await chmodAll(p);
      else await chmod(p, 0o600);
    }
  };
  await chmodAll(join(dir, 'fx'));
  await writeFile(join(dir, 'binary.env'), Buffer.from([0x41, 0x3d, 0x00, 0x01]));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function assertOneLineError(r: CliRun, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, pattern);
}

test('exit 0 for a clean file, 1 when errors are found, 1 for warnings only with --strict', async () => {
  const [good, bad, warnOnly, warnStrict] = await Promise.all([
    keyturn(dir, 'env', 'check', 'fx/profiles/resumerag-phase2/good.env', '--profile', 'resumerag-phase2'),
    keyturn(dir, 'env', 'check', 'fx/profiles/resumerag-phase2/bad-pasted.env', '--profile', 'resumerag-phase2'),
    keyturn(dir, 'env', 'check', 'fx/rules/duplicate-key.env', '--schema', 'fx/rules/keyturn-env.json'),
    keyturn(dir, 'env', 'check', 'fx/rules/duplicate-key.env', '--schema', 'fx/rules/keyturn-env.json', '--strict'),
  ]);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(good.stdout, 'No problems found in 1 file.\n');
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stdout, /^fx\/profiles\/resumerag-phase2\/bad-pasted\.env\n/);
  assert.match(bad.stdout, /3 errors, 0 warnings, 0 infos in 1 file checked\.\n$/);
  assert.equal(warnOnly.code, 0, warnOnly.stdout);
  assert.equal(warnStrict.code, 1, warnStrict.stdout);
});

test('exit 2 with one line on stderr for usage and unreadable input', async () => {
  const runs = await Promise.all([
    keyturn(dir, 'env', 'check', 'nope.env'),
    keyturn(dir, 'env', 'check', 'binary.env'),
    keyturn(dir, 'env', 'check', 'fx/rules/valid.env', '--profile', 'no-such-profile'),
    keyturn(dir, 'env', 'check', 'fx/rules/valid.env', '--schema', 'fx/rules/valid.env'),
    keyturn(dir, 'env', 'check', 'fx/rules/valid.env', '--format', 'xml'),
  ]);
  assertOneLineError(runs[0]!, 2, /nope\.env does not exist.*\[unreadable-input\]/);
  assertOneLineError(runs[1]!, 2, /binary\.env looks binary.*\[unreadable-input\]/);
  assertOneLineError(runs[2]!, 2, /no profile "no-such-profile".*\[usage\]/);
  assertOneLineError(runs[3]!, 2, /not a valid Keyturn schema.*\[invalid-input\]/);
  assertOneLineError(runs[4]!, 2, /--format takes text, json, sarif.*\[usage\]/);
  const noArgs = await keyturn(dir, 'env', 'check');
  assert.equal(noArgs.code, 2);
});

test('--format json prints one document of files, findings and summary', async () => {
  const r = await keyturn(dir, 'env', 'check', 'fx/rules', '--schema', 'fx/rules/keyturn-env.json', '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    files: { path: string; findings: { code: string; severity: string; variable?: string; line?: number; message: string }[] }[];
    summary: { errors: number; warnings: number; infos: number };
  };
  assert.equal(doc.files.length, 13);
  const weak = doc.files.find((f) => f.path === 'fx/rules/weak-value.env')!;
  assert.deepEqual(weak.findings[0], {
    code: 'weak-value',
    severity: 'error',
    variable: 'PII_ENC_KEY',
    line: 1,
    message: weak.findings[0]!.message,
    fix: {
      action: 'regenerate',
      type: 'fernet-key',
      command: 'keyturn env fix fx/rules/weak-value.env --schema fx/rules/keyturn-env.json --regenerate PII_ENC_KEY',
    },
  });
  const count = (s: string): number => doc.files.reduce((n, f) => n + f.findings.filter((x) => x.severity === s).length, 0);
  assert.deepEqual(doc.summary, { errors: count('error'), warnings: count('warning'), infos: count('info') });
  const json = await keyturn(dir, 'env', 'check', 'nope.env', '--json');
  assert.equal(json.code, 2);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'unreadable-input');
});

test('--format sarif validates against the SARIF 2.1.0 schema, with paths relative to where it ran', async () => {
  const r = await keyturn(dir, 'env', 'check', 'fx/profiles', '--profile', 'namaskah-security-2.4', '--format', 'sarif');
  assert.equal(r.code, 1, r.stderr);
  const schema = JSON.parse(await readFile(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const sarif = JSON.parse(r.stdout) as {
    runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };
  assert.equal(validate(sarif), true, JSON.stringify(validate.errors?.slice(0, 3)));
  assert.ok(
    sarif.runs[0]!.results.some(
      (x) => x.locations[0]!.physicalLocation.artifactLocation.uri === 'fx/profiles/namaskah-security-2.4/bad-reuse.env',
    ),
  );
});

test('env profiles lists the five guides with variables and sources, as text and JSON', async () => {
  const [text, json] = await Promise.all([keyturn(dir, 'env', 'profiles'), keyturn(dir, 'env', 'profiles', '--json')]);
  assert.equal(text.code, 0);
  const doc = JSON.parse(json.stdout) as {
    profiles: { id: string; source: { seed: string }; variables: { name: string; required: boolean; section: string }[] }[];
  };
  assert.deepEqual(
    doc.profiles.map((p) => p.id),
    ['resumerag-phase2', 'docscan-rolling-upgrade', 'hrms-security-enhancements', 'namaskah-security-2.4', 'muestras-fastapi-users'],
  );
  const seeds = await readdir(join(REPO, '..', 'shared', 'seeds')).catch(() => null);
  for (const p of doc.profiles) {
    assert.match(text.stdout, new RegExp(`^${p.id.replace('.', '\\.')}: `, 'm'));
    if (seeds) assert.ok(seeds.includes(p.source.seed), `${p.id} cites a seed that exists`);
    for (const v of p.variables) assert.ok(v.section.length > 5);
  }
  const resume = doc.profiles[0]!.variables.find((v) => v.name === 'PII_ENC_KEY');
  assert.equal(resume?.required, true);
});

test('no output of check or fix, in any format, shows a value from the files', async () => {
  const values = new Set<string>();
  const walk = async (d: string): Promise<void> => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else if (!/\.(json|md)$/.test(name)) {
        for (const v of envValues(parseEnv(await readFile(p, 'utf8'))).values())
          if (v && v.length >= 6 && !/^(?:\d+|[A-Za-z]+)$/.test(v)) values.add(v);
      }
    }
  };
  await walk(join(dir, 'fx'));
  const runs = await Promise.all([
    ...['text', 'json', 'sarif'].map((f) => keyturn(dir, 'env', 'check', 'fx', '--format', f)),
    ...['resumerag-phase2', 'namaskah-security-2.4', 'hrms-security-enhancements'].map((p) =>
      keyturn(dir, 'env', 'check', 'fx', '--profile', p, '--format', 'json'),
    ),
    keyturn(dir, 'env', 'fix', 'fx/profiles/resumerag-phase2/bad-pasted.env', '--profile', 'resumerag-phase2', '--dry-run'),
    keyturn(dir, 'env', 'fix', 'fx/profiles/namaskah-security-2.4/bad-reuse.env', '--profile', 'namaskah-security-2.4', '--json'),
  ]);
  for (const r of runs) {
    assert.ok(r.code !== null && r.code <= 1, r.stderr);
    for (const v of values) assert.ok(!r.stdout.includes(v) && !r.stderr.includes(v), `a value of ${v.length} characters was printed`);
  }
  // The fix really wrote: the file now has what it lacked, and the generated values did not reach the output either.
  const fixed = envValues(parseEnv(await readFile(join(dir, 'fx/profiles/namaskah-security-2.4/bad-reuse.env'), 'utf8')));
  assert.deepEqual(
    JSON.parse(runs[runs.length - 1]!.stdout)
      .unfilled.map((u: { variable: string }) => u.variable)
      .sort(),
    ['DATABASE_URL', 'RATE_LIMIT_WINDOW'],
    'the reused JWT_SECRET_KEY is regenerated, as check suggested; the rest is left to do by hand',
  );
  for (const r of runs) for (const v of fixed.values()) if (v && v.length >= 16) assert.ok(!r.stdout.includes(v));
});

test('env fix --dry-run --json reports the plan and leaves the file as it was', async () => {
  const file = join(dir, 'fx/profiles/muestras-fastapi-users/bad-default.env');
  const before = await readFile(file);
  const r = await keyturn(
    dir,
    'env',
    'fix',
    'fx/profiles/muestras-fastapi-users/bad-default.env',
    '--profile',
    'muestras-fastapi-users',
    '--regenerate',
    'SECRET_KEY',
    '--dry-run',
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as {
    dryRun: boolean;
    regenerated: { variable: string; line: number }[];
    unfilled: { variable: string }[];
  };
  assert.equal(result.dryRun, true);
  assert.deepEqual(
    result.regenerated.map((c) => [c.variable, c.line]),
    [['SECRET_KEY', 1]],
  );
  assert.deepEqual(
    result.unfilled.map((u) => u.variable),
    ['DATABASE_URL'],
  );
  assert.deepEqual(await readFile(file), before);
});
