// The user schema format: zod (what Keyturn enforces) and the published JSON Schema (what editors enforce) agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { KeyturnError } from '../domain/errors.js';
import { parseUserSchema } from './user-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const published = JSON.parse(readFileSync(join(ROOT, 'schemas', 'keyturn-env.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(published);

const accepted = (doc: unknown): boolean => {
  try {
    parseUserSchema(JSON.stringify(doc), 'keyturn-env.json');
    return true;
  } catch (error) {
    assert.ok(error instanceof KeyturnError && error.code === 'invalid-input', String(error));
    return false;
  }
};

const DOCS: { doc: unknown; ok: boolean }[] = [
  { doc: { variables: {} }, ok: true },
  {
    doc: {
      $schema: './schemas/keyturn-env.schema.json',
      variables: { PII_ENC_KEY: { required: true, type: 'fernet-key', description: 'Fernet key' } },
    },
    ok: true,
  },
  {
    doc: { variables: { DB: { type: 'url', schemes: ['postgresql', 'postgresql+asyncpg'], schemeNote: 'prod needs PostgreSQL' } } },
    ok: true,
  },
  { doc: { variables: { N: { type: 'int', min: 1, max: 10, default: '5' } } }, ok: true },
  { doc: { variables: { E: { type: 'enum', values: ['a', 'b'] } } }, ok: true },
  { doc: { variables: { S: { type: 'string', pattern: '[a-z]+', secret: true } } }, ok: true },
  { doc: { variables: { 'app.name-x': { type: 'string' } } }, ok: true },
  { doc: {}, ok: false },
  { doc: { variables: [] }, ok: false },
  { doc: { variables: { X: { type: 'fernet' } } }, ok: false },
  { doc: { variables: { X: { required: 'yes' } } }, ok: false },
  { doc: { variables: { X: { min: -1 } } }, ok: false },
  { doc: { variables: { X: { min: 1.5 } } }, ok: false },
  { doc: { variables: { X: { schemes: [] } } }, ok: false },
  { doc: { variables: { X: { schemes: ['post gres'] } } }, ok: false },
  { doc: { variables: { X: { typo: true } } }, ok: false },
  { doc: { variables: { '1BAD': { type: 'string' } } }, ok: false },
  { doc: { variables: { 'BAD NAME': {} } }, ok: false },
  { doc: { variables: { E: { type: 'enum' } } }, ok: false },
  { doc: { variables: { E: { values: [] } } }, ok: false },
  { doc: { variables: {}, extra: 1 }, ok: false },
  { doc: { variables: { D: { default: 5 } } }, ok: false },
];

test('zod and the published JSON Schema accept and refuse the same schema files', () => {
  for (const { doc, ok } of DOCS) {
    assert.equal(validate(doc), ok, `JSON Schema on ${JSON.stringify(doc)}`);
    assert.equal(accepted(doc), ok, `zod on ${JSON.stringify(doc)}`);
  }
});

test('the fixture schemas are valid against the published JSON Schema', () => {
  for (const file of ['test/fixtures/env/rules/keyturn-env.json', 'test/fixtures/env/conflict/keyturn-env.json']) {
    const doc = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as unknown;
    assert.equal(validate(doc), true, `${file}: ${JSON.stringify(validate.errors)}`);
    assert.ok(parseUserSchema(readFileSync(join(ROOT, file), 'utf8'), file).variables.size > 0);
  }
});

test('problems name the file and the field; rules keep the line of their variable', () => {
  assert.throws(() => parseUserSchema('{ "variables": ', 'my.json'), /my\.json is not a valid Keyturn schema: it is not JSON/);
  assert.throws(() => parseUserSchema('{"variables":{"X":{"type":"fernet"}}}', 'my.json'), /variables\.X\.type/);
  assert.throws(() => parseUserSchema('{"variables":{"X":{"min":5,"max":1}}}', 'my.json'), /min greater than max/);
  assert.throws(() => parseUserSchema('{"variables":{"X":{"pattern":"("}}}', 'my.json'), /not a valid regular expression/);
  const schema = parseUserSchema('{\n  "variables": {\n    "A": {},\n    "B": { "required": true }\n  }\n}', 'my.json');
  assert.deepEqual(
    [...schema.variables].map(([n, v]) => [n, v.line, v.fields]),
    [
      ['A', 3, {}],
      ['B', 4, { required: true }],
    ],
  );
});
