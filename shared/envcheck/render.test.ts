// Output renderers: SARIF validated against the official 2.1.0 schema; text grouped by file, coloured only when asked.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { checkEnvText } from './check-file.js';
import { FINDING_CODE_LIST } from './codes.js';
import { renderSarif } from './render-sarif.js';
import { renderText } from './render-text.js';
import { buildReport, type EnvFileReport } from './report.js';
import { buildRuleSet } from './rule-set.js';
import { parseUserSchema } from './user-schema.js';

const F = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'env');
const require = createRequire(import.meta.url);
// The official SARIF 2.1.0 (rtm.5) schema, as Microsoft's jest-sarif package ships it (draft-04).
const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as {
  title: string;
};
// The schema has a pattern (language tags) that is valid only without the regex `u` flag, as draft-04 validators read it.
const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(sarifSchema);

function fixtureReport(): EnvFileReport[] {
  const schema = parseUserSchema(readFileSync(join(F, 'rules', 'keyturn-env.json'), 'utf8'), 'keyturn-env.json');
  const { rules } = buildRuleSet({ schema });
  const files = readdirSync(join(F, 'rules')).filter((f) => f.endsWith('.env'));
  const reports: EnvFileReport[] = files.map((f) => ({
    path: `test/fixtures/env/rules/${f}`,
    role: 'env',
    findings: checkEnvText({ text: readFileSync(join(F, 'rules', f), 'utf8'), role: 'env', rules }).findings,
  }));
  reports.push({
    path: 'dir with space/.env',
    role: 'env',
    findings: [{ code: 'insecure-permissions', severity: 'warning', message: 'Readable by others (mode 644).' }],
  });
  reports.push({
    path: '/abs/path/.env',
    role: 'env',
    findings: [{ code: 'tracked-by-git', severity: 'error', message: 'Tracked by git.' }],
  });
  return reports;
}

test('SARIF output validates against the official SARIF 2.1.0 schema and carries every finding', () => {
  assert.match(sarifSchema.title, /SARIF.*2\.1\.0/);
  const report = buildReport(fixtureReport());
  const sarif = renderSarif(report, { toolVersion: '0.1.0' }) as {
    version: string;
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      }[];
    }[];
  };
  assert.equal(validateSarif(sarif), true, JSON.stringify(validateSarif.errors?.slice(0, 5)));
  const run = sarif.runs[0]!;
  const total = report.files.reduce((n, f) => n + f.findings.length, 0);
  assert.ok(total > 30, `${total} findings`);
  assert.equal(run.results.length, total);
  assert.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    FINDING_CODE_LIST,
  );
  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    assert.ok(r.locations[0]!.physicalLocation.region.startLine >= 1);
  }
  const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
  assert.ok(uris.includes('dir%20with%20space/.env'));
  assert.ok(uris.includes('file:///abs/path/.env'));
  // A broken document must fail the same validator, or the check above proves nothing.
  assert.equal(validateSarif({ ...sarif, version: '2.0.0' }), false);
  assert.equal(validateSarif({ version: '2.1.0', runs: [{ results: [] }] }), false);
});

test('text output groups findings by file, ends with a summary, and colours only on request', () => {
  const report = buildReport(fixtureReport(), { strict: true });
  const plain = renderText(report, { color: false });
  const coloured = renderText(report, { color: true });
  assert.ok(!plain.includes('\x1b['));
  assert.ok(coloured.includes('\x1b[31m'));
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  assert.match(plain, /^test\/fixtures\/env\/rules\/ambiguous-syntax\.env$/m);
  assert.match(plain, /\d+ errors, \d+ warnings, \d+ infos in 15 files checked \(strict: warnings fail\)\.\n$/);
  assert.ok(!plain.includes('valid.env\n'), 'a file without findings gets no heading');
  assert.equal(renderText(buildReport([{ path: '.env', role: 'env', findings: [] }]), { color: false }), 'No problems found in 1 file.\n');
});

test('strict makes warnings fail; infos never do', () => {
  const warning: EnvFileReport = { path: '.env', role: 'env', findings: [{ code: 'duplicate-key', severity: 'warning', message: 'x.' }] };
  const info: EnvFileReport = { path: '.env', role: 'env', findings: [{ code: 'unknown-variable', severity: 'info', message: 'x.' }] };
  assert.equal(buildReport([warning]).failed, false);
  assert.equal(buildReport([warning], { strict: true }).failed, true);
  assert.equal(buildReport([info], { strict: true }).failed, false);
});
