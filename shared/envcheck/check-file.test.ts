// One fixture per rule and per profile (test/fixtures/env): each yields exactly the findings listed here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envValues, parseEnv } from '../formats/env-file.js';
import { checkEnvText } from './check-file.js';
import { FINDING_CODES } from './codes.js';
import { readExampleRules } from './example-annotations.js';
import { getProfile, listProfiles } from './profiles.js';
import type { EnvFinding } from './report.js';
import { buildRuleSet, type RuleLayers } from './rule-set.js';
import { parseUserSchema } from './user-schema.js';

const F = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'env');
const read = (...parts: string[]): string => readFileSync(join(F, ...parts), 'utf8');

/** `line:severity:code:variable`, the shape the tables below are written in. */
const brief = (f: EnvFinding): string => `${f.line ?? '-'}:${f.severity}:${f.code}:${f.variable ?? ''}`;

function check(text: string, layers: RuleLayers): EnvFinding[] {
  const { rules } = buildRuleSet(layers);
  return checkEnvText({ text, role: 'env', rules, fixCommand: 'keyturn env fix .env' }).findings;
}

/** No finding may quote a value of the file it is about (a value of 6+ characters that is not plain digits). */
function assertNoValueShown(text: string, findings: EnvFinding[]): void {
  const secrets = [...envValues(parseEnv(text)).values()].filter((v): v is string => v !== null && v.length >= 6 && !/^\d+$/.test(v));
  for (const f of findings) for (const s of secrets) assert.ok(!f.message.includes(s), `${f.code} message shows a value`);
}

const RULES: Record<string, string[]> = {
  'valid.env': [],
  'missing-required.env': ['-:error:missing-required:JWT_SECRET'],
  'empty-value.env': ['3:error:empty-value:JWT_SECRET', '7:warning:empty-value:DEBUG'],
  'invalid-format.env': [
    '1:error:invalid-format:PII_ENC_KEY',
    '2:error:invalid-format:PII_ENC_KEYS',
    '5:error:invalid-format:DATABASE_URL',
    '6:error:invalid-format:WORKERS',
    '7:error:invalid-format:DEBUG',
    '8:error:invalid-format:APP_ENV',
    '9:error:invalid-format:ADMIN_EMAIL',
    '10:error:invalid-format:TOKEN_TTL',
    '11:error:invalid-format:REGION',
  ],
  'weak-value.env': [
    '1:error:weak-value:PII_ENC_KEY',
    '2:error:weak-value:PII_ENC_KEYS',
    '3:error:weak-value:JWT_SECRET',
    '4:error:weak-value:SESSION_SECRET',
    '5:warning:weak-value:DATABASE_URL',
    '12:error:weak-value:API_TOKEN',
    '12:info:unknown-variable:API_TOKEN',
  ],
  'public-example.env': ['1:error:public-example:PII_ENC_KEY', '3:error:public-example:JWT_SECRET'],
  'duplicate-key.env': ['6:warning:duplicate-key:WORKERS'],
  'reused-secret.env': ['4:error:reused-secret:SESSION_SECRET'],
  'unknown-variable.env': ['12:info:unknown-variable:EXTRA_FLAG'],
  'interpolated-value.env': ['5:info:interpolated-value:DATABASE_URL'],
  'syntax-error.env': ['12:error:syntax-error:', '13:error:syntax-error:', '14:error:syntax-error:', '15:info:unknown-variable:AFTER'],
  'not-a-variable.env': [
    '13:error:invalid-format:JWT_PRIVATE_KEY',
    '13:info:unknown-variable:JWT_PRIVATE_KEY',
    '14:warning:not-a-variable:',
    '15:error:syntax-error:',
    '16:warning:not-a-variable:',
    '17:warning:not-a-variable:',
  ],
  'ambiguous-syntax.env': [
    '12:warning:ambiguous-syntax:HASHED',
    '12:info:unknown-variable:HASHED',
    '13:warning:ambiguous-syntax:BACKTICKED',
    '13:info:unknown-variable:BACKTICKED',
    '14:warning:ambiguous-syntax:ESCAPED',
    '14:info:unknown-variable:ESCAPED',
  ],
};

const PROFILES: Record<string, Record<string, string[]>> = {
  'resumerag-phase2': {
    'good.env': [],
    'bad-pasted.env': ['2:error:public-example:DATABASE_URL', '4:error:weak-value:SECRET_KEY', '13:error:weak-value:PII_ENC_KEY'],
    'bad-not-set.env': [
      '-:error:missing-required:PII_ENC_KEY',
      '2:error:invalid-format:DATABASE_URL',
      '3:error:public-example:SECRET_KEY',
      '4:error:invalid-format:MAX_FAILED_ATTEMPTS',
    ],
  },
  'docscan-rolling-upgrade': { 'good.env': [], 'bad.env': ['1:error:invalid-format:BACKEND_PORT'] },
  'hrms-security-enhancements': {
    'good.env': [],
    'bad.env': [
      '-:error:missing-required:ConnectionStrings__*',
      '2:error:invalid-format:DOTNET_ENVIRONMENT',
      '3:error:weak-value:JWT_SECRET',
    ],
  },
  'namaskah-security-2.4': {
    'good.env': [],
    'bad-pasted.env': ['2:error:weak-value:SECRET_KEY', '3:error:weak-value:JWT_SECRET_KEY', '6:error:invalid-format:DATABASE_URL'],
    'bad-reuse.env': [
      '2:error:reused-secret:JWT_SECRET_KEY',
      '3:error:invalid-format:DATABASE_URL',
      '4:error:invalid-format:RATE_LIMIT_WINDOW',
    ],
  },
  'muestras-fastapi-users': {
    'good.env': [],
    'bad-pasted.env': ['1:error:weak-value:SECRET_KEY', '2:error:invalid-format:DATABASE_URL'],
    'bad-default.env': ['1:error:weak-value:SECRET_KEY', '2:error:invalid-format:DATABASE_URL'],
  },
};

test('every rule fixture yields exactly its findings under rules/keyturn-env.json', () => {
  const schema = parseUserSchema(read('rules', 'keyturn-env.json'), 'keyturn-env.json');
  const files = readdirSync(join(F, 'rules')).filter((f) => f.endsWith('.env'));
  assert.deepEqual(files.sort(), Object.keys(RULES).sort(), 'a fixture without expectations, or expectations without a fixture');
  for (const [file, expected] of Object.entries(RULES)) {
    const text = read('rules', file);
    const findings = check(text, { schema });
    assert.deepEqual(findings.map(brief), expected, file);
    assertNoValueShown(text, findings);
    for (const f of findings) assert.ok(f.message.length > 20 && /[.)]$/.test(f.message), `${file}: ${f.code} needs a full sentence`);
  }
});

test('each rule code the text engine can raise has a fixture that raises it', () => {
  const raised = new Set(
    Object.values(RULES)
      .flat()
      .map((b) => b.split(':')[2]),
  );
  const nodeSide = ['insecure-permissions', 'tracked-by-git', 'skipped-file', 'stale-value', 'key-match'];
  const elsewhere = ['not-in-example', 'missing-from-example', 'rule-conflict', 'invalid-annotation'];
  for (const code of Object.keys(FINDING_CODES)) {
    if (nodeSide.includes(code) || elsewhere.includes(code)) continue;
    assert.ok(raised.has(code), `no rule fixture raises ${code}`);
  }
});

test('every profile has a good and a bad fixture, each yielding exactly its findings', () => {
  assert.deepEqual(
    Object.keys(PROFILES).sort(),
    listProfiles()
      .map((p) => p.id)
      .sort(),
  );
  for (const [id, files] of Object.entries(PROFILES)) {
    assert.deepEqual(readdirSync(join(F, 'profiles', id)).sort(), Object.keys(files).sort(), id);
    for (const [file, expected] of Object.entries(files)) {
      const text = read('profiles', id, file);
      const findings = check(text, { profile: getProfile(id) });
      assert.deepEqual(findings.map(brief), expected, `${id}/${file}`);
      assertNoValueShown(text, findings);
    }
  }
});

test('drift against .env.example: undeclared variables and unset declared ones', () => {
  const example = readExampleRules(parseEnv(read('drift', '.env.example')));
  const findings = check(read('drift', '.env'), { example: { file: '.env.example', rules: example } });
  assert.deepEqual(findings.map(brief), ['-:warning:missing-from-example:LEGACY_MODE', '3:warning:not-in-example:EXTRA_FLAG']);
});

test('.env.example annotations become requirements, and bad annotations are reported on their line', () => {
  const exampleText = read('annotated', '.env.example');
  const example = readExampleRules(parseEnv(exampleText));
  assert.deepEqual(example.variables.get('PII_ENC_KEY')?.fields, { required: true, type: 'fernet-key' });
  assert.deepEqual(example.variables.get('DATABASE_URL')?.fields, { type: 'url', schemes: ['postgresql', 'postgresql+asyncpg'] });
  assert.deepEqual(example.variables.get('LOG_LEVEL')?.fields, {});
  const findings = check(read('annotated', '.env'), { example: { file: '.env.example', rules: example } });
  assert.deepEqual(findings.map(brief), ['-:error:missing-required:PII_ENC_KEY', '1:error:invalid-format:DATABASE_URL']);
  const { rules } = buildRuleSet({});
  const own = checkEnvText({ text: exampleText, role: 'example', rules }).findings;
  assert.deepEqual(own.map(brief), ['10:warning:invalid-annotation:LEGACY_KEY', '13:warning:invalid-annotation:WORKERS']);
});

test('profile, example and schema combine; their disagreements are conflicts, and the schema wins', () => {
  const schema = parseUserSchema(read('conflict', 'keyturn-env.json'), 'conflict/keyturn-env.json');
  const example = { file: 'conflict/.env.example', rules: readExampleRules(parseEnv(read('conflict', '.env.example'))) };
  const { rules, conflicts } = buildRuleSet({ profile: getProfile('resumerag-phase2'), example, schema });
  assert.deepEqual(
    conflicts.map((c) => `${c.file}:${c.line ?? '-'}:${c.variable}`),
    [
      'conflict/.env.example:2:LOCKOUT_DURATION_MINUTES',
      'conflict/keyturn-env.json:3:PII_ENC_KEY',
      'conflict/keyturn-env.json:4:MAX_FAILED_ATTEMPTS',
      'conflict/keyturn-env.json:5:SECRET_KEY',
    ],
  );
  assert.equal(rules.byName.get('PII_ENC_KEY')?.type, 'secret');
  assert.equal(rules.byName.get('SECRET_KEY')?.required, true);
  assert.equal(rules.byName.get('LOCKOUT_DURATION_MINUTES')?.type, 'duration');
  assert.deepEqual(
    rules.byName.get('PII_ENC_KEY')?.sources.map((s) => s.kind),
    ['profile', 'example', 'schema'],
  );
});

test('a published example key is an error with or without a profile, whatever the variable is called', () => {
  const text =
    'SOME_SETTING=AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=\nDATABASE_URL=postgresql+asyncpg://postgres:postgres@localhost:5432/resumerag\n';
  const none = check(text, {});
  const profile = check(text, { profile: getProfile('resumerag-phase2') });
  for (const findings of [none, profile]) {
    const published = findings.filter((f) => f.code === 'public-example');
    assert.deepEqual(
      published.map((f) => `${f.variable}:${f.severity}`),
      ['SOME_SETTING:error', 'DATABASE_URL:error'],
    );
  }
  // A URL is not regenerated: its password is changed at the server.
  const url = profile.find((f) => f.code === 'public-example' && f.variable === 'DATABASE_URL')!;
  assert.deepEqual(url.fix, { action: 'edit' });
  assert.match(url.message, /change the password at the server, then here\.$/);
});
