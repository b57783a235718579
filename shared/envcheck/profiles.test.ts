// Profiles come from the seeds' guides: every variable, default and published example is traceable to its guide's text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FINDING_CODES } from './codes.js';
import { getProfile, listProfiles } from './profiles.js';
import { PUBLIC_EXAMPLES } from './public-examples.js';
import { isVarType } from './types.js';

const SEEDS = join(import.meta.dirname, '..', '..', '..', 'shared', 'seeds');
const seed = (file: string): string => readFileSync(join(SEEDS, file), 'utf8');

test('one profile per seed guide, each variable, default and scheme printed in its guide', () => {
  const profiles = listProfiles();
  assert.equal(new Set(profiles.map((p) => p.source.seed)).size, 5);
  for (const p of profiles) {
    const text = seed(p.source.seed);
    assert.ok(text.includes(p.source.title), `${p.id}: title`);
    for (const v of p.variables) {
      assert.ok(text.includes(v.name), `${p.id}: ${v.name} is not in ${p.source.seed}`);
      assert.ok(isVarType(v.type));
      if (v.default !== undefined)
        assert.ok(
          [`${v.name}=${v.default}`, `| ${v.default} |`, `localhost:${v.default}`].some((s) => text.includes(s)),
          `${p.id}: default of ${v.name}`,
        );
      // The guide prints at least one allowed scheme; the others are drivers of the same database (postgresql+psycopg2...).
      if (v.schemes) {
        const printed = v.schemes.filter((scheme) => text.includes(`${scheme}://`));
        assert.ok(printed.length > 0, `${p.id}: no scheme of ${v.name} is in the guide`);
        const base = (scheme: string): string => scheme.split('+')[0]!.replace(/^rediss$/, 'redis');
        const bases = new Set(printed.map(base));
        for (const scheme of v.schemes) assert.ok(bases.has(base(scheme)), `${p.id}: ${scheme} is another database`);
      }
    }
    for (const c of p.checklist) for (const code of c.checkedBy) assert.ok(code in FINDING_CODES, `${p.id}: unknown code ${code}`);
    assert.ok(p.checklist.length > 0, `${p.id} maps its guide's checklist`);
  }
  assert.ok(seed(getProfile('hrms-security-enhancements').source.seed).includes('JWT_SECRET and connection strings configured'));
});

test('PII_ENC_KEY is required by the Phase 2 profile, as its variable table says', () => {
  const table = seed('000_49a033cdef95899d.txt');
  assert.match(table, /\| `PII_ENC_KEY` \| \*\*Yes\*\* \|/);
  const v = getProfile('resumerag-phase2').variables.find((x) => x.name === 'PII_ENC_KEY');
  assert.deepEqual([v?.required, v?.type], [true, 'fernet-key']);
});

test('the example keys printed in the guides are listed as public examples', () => {
  const fromSeeds = PUBLIC_EXAMPLES.filter((e) => e.source.includes('seed'));
  assert.ok(fromSeeds.length >= 3);
  for (const e of fromSeeds) assert.ok(seed('000_49a033cdef95899d.txt').includes(e.value), e.source);
  const spec = PUBLIC_EXAMPLES.find((e) => e.source.includes('Fernet specification'))!;
  const vectors = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'fernet-spec', 'generate.json'), 'utf8');
  assert.ok(vectors.includes(spec.value));
});
