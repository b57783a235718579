// Golden runbooks: each plan rendered byte for byte as committed after a person read it. After a deliberate change,
// regenerate with KEYTURN_UPDATE_GOLDEN=1 and read the diff as carefully as the first time.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AWS_BUNDLE, AZURE_KV, JWT_HS, JWT_RS, PII_DB, RESUMERAG_ENV, SESSION, input } from './fixtures.test-support.js';
import { planRotation } from './planner.js';
import { renderJson, renderMarkdown } from './render-markdown.js';
import type { PlanInput } from './types.js';

const DIR = join(import.meta.dirname, 'golden');
const RESTART = { restart: 'docker-compose -f infra/docker-compose.yml up -d api', health: 'curl -fsS http://localhost:8000/api/health' };

const CASES: Record<string, PlanInput> = {
  'pii-enc-key-postgres-aws': input({ envFiles: [RESUMERAG_ENV], databases: [PII_DB], targets: [AWS_BUNDLE], app: RESTART }),
  'pii-enc-key-mysql-escrowed': input({
    id: 'docscan-pii-2025-03',
    envFiles: [{ path: '.env', variables: ['DATABASE_URL', 'PII_ENC_KEY'], lifetimes: [] }],
    databases: [
      { engine: 'mysql', urlVar: 'DATABASE_URL', envFile: '.env', tables: [{ table: 'documents', columns: ['owner_name_enc'], pk: 'id' }] },
    ],
    escrow: [{ key: 'pii-enc-key', bundle: 'escrow/pii-enc-key.age' }],
  }),
  'jwt-secret-key-forced-logout': input({ id: 'jwt-2025-03', keys: [JWT_HS], envFiles: [RESUMERAG_ENV], app: RESTART }),
  'jwt-signing-key-jwks-azure': input({
    id: 'jwks-2025-03',
    keys: [JWT_RS],
    envFiles: [RESUMERAG_ENV],
    targets: [AZURE_KV],
    app: { ...RESTART, jwksUrl: 'https://api.example.com/.well-known/jwks.json' },
  }),
  'secret-key-maintenance-window': input({ id: 'session-2025-03', keys: [SESSION], envFiles: [RESUMERAG_ENV] }),
};

for (const [name, given] of Object.entries(CASES)) {
  test(`golden runbook ${name}.md`, () => {
    const plan = planRotation(given);
    const outputs: [string, string][] = [[`${name}.md`, renderMarkdown(plan)]];
    if (name === 'pii-enc-key-postgres-aws') outputs.push([`${name}.json`, renderJson(plan)]);
    for (const [file, text] of outputs) {
      const path = join(DIR, file);
      if (process.env.KEYTURN_UPDATE_GOLDEN === '1') writeFileSync(path, text);
      assert.equal(text, readFileSync(path, 'utf8'), `${file} differs from the reviewed golden file`);
    }
  });
}

test('the JSON runbook parses back to the plan it was rendered from', () => {
  const plan = planRotation(CASES['pii-enc-key-postgres-aws']!);
  assert.deepEqual(JSON.parse(renderJson(plan)), plan);
});

test('the Markdown runbook has every step numbered once, with a checkbox, a check and a rollback or a point of no return', () => {
  for (const given of Object.values(CASES)) {
    const plan = planRotation(given);
    const md = renderMarkdown(plan);
    const headings = [...md.matchAll(/^### Step (\d+): /gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      headings,
      plan.steps.map((s) => s.n),
    );
    const sections = md.split(/^### Step \d+: /m).slice(1);
    for (const [i, section] of sections.entries()) {
      assert.ok(section.includes('- [ ] Done'), `step ${i + 1}: checkbox`);
      assert.match(section, /\*\*(Check|Expected Output)/, `step ${i + 1}: check`);
      assert.match(section, /\*\*Rollback\*\*: /, `step ${i + 1}: rollback`);
    }
    assert.equal((md.match(/```/g) ?? []).length % 2, 0, 'code fences are balanced');
  }
});
