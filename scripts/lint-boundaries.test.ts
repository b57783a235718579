// The layer boundaries hold: planted violations, linted with the repo's own eslint.config.js at real paths under each
// layer, are each reported by the rule meant to catch them, and clean files pass. Every distinct setting of every
// boundary rule must be exercised by a case, so a rule dropped or added without a planted violation fails here.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ESLint } from 'eslint';
// @ts-expect-error -- plain ESM script without type declarations
import { findImportCycles } from './import-cycles.mjs';
import { plantedCases, RULES, type BoundaryRule, type PlantedCase } from './lint-boundary-cases.js';

const REPO = resolve(import.meta.dirname, '..');
const BOUNDARY_RULES = new Set<string>(Object.values(RULES));
const eslint = new ESLint({ cwd: REPO });

// A real file outside the repo, imported by relative path from shared/domain/: allow-lists must hold beyond the repo.
const outsideDir = mkdtempSync(join(tmpdir(), 'keyturn-outside-'));
writeFileSync(join(outsideDir, 'outside.ts'), 'export const outside = 1;\n');
const outsideSpecifier = relative(join(REPO, 'shared', 'domain'), join(outsideDir, 'outside.js'))
  .split('\\')
  .join('/');
const cases = plantedCases(outsideSpecifier);
after(() => rmSync(outsideDir, { recursive: true, force: true }));

async function boundaryFindings(planted: PlantedCase): Promise<string[]> {
  const [result] = await eslint.lintText(planted.code, { filePath: join(REPO, planted.file) });
  assert.ok(result, planted.name);
  assert.equal(result.fatalErrorCount, 0, `${planted.name}: ${result.messages.map((m) => m.message).join('; ')}`);
  return result.messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

describe('planted boundary violations are reported', () => {
  for (const planted of cases.filter((c) => c.rules.length > 0)) {
    test(planted.name, async () => {
      const findings = await boundaryFindings(planted);
      for (const rule of planted.rules) {
        assert.ok(
          findings.some((f) => f.startsWith(`${rule}: `)),
          `${rule} did not report it; lint said: ${findings.join(' | ') || 'nothing'}`,
        );
      }
    });
  }
});

describe('clean files in every layer pass', () => {
  for (const planted of cases.filter((c) => c.rules.length === 0)) {
    test(planted.name, async () => {
      assert.deepEqual(await boundaryFindings(planted), []);
    });
  }
});

/** Every lintable source file of the repo, relative to it. */
function sourceFiles(): string[] {
  const files: string[] = [];
  for (const top of ['shared', 'electron', 'renderer', 'bench', 'test', 'scripts', 'e2e', 'bin']) {
    const entries = readdirSync(join(REPO, top), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && /\.(ts|tsx|mjs|js)$/.test(entry.name) && !entry.parentPath.includes('node_modules')) {
        files.push(relative(REPO, join(entry.parentPath, entry.name)));
      }
    }
  }
  return files;
}

/** `rule + its options` for each boundary rule switched on for a file. */
async function boundarySettings(file: string): Promise<Map<string, BoundaryRule>> {
  const config = (await eslint.calculateConfigForFile(join(REPO, file))) as { rules?: Record<string, unknown[]> } | undefined;
  const settings = new Map<string, BoundaryRule>();
  for (const [rule, entry] of Object.entries(config?.rules ?? {})) {
    const [severity, ...options] = entry;
    if (BOUNDARY_RULES.has(rule) && severity !== 0 && severity !== 'off')
      settings.set(`${rule} ${JSON.stringify(options)}`, rule as BoundaryRule);
  }
  return settings;
}

test('every setting of every boundary rule in eslint.config.js has a planted violation', async () => {
  const exercised = new Set<string>();
  for (const planted of cases) {
    for (const [key, rule] of await boundarySettings(planted.file)) if (planted.rules.includes(rule)) exercised.add(key);
  }
  const missing = new Map<string, string>();
  for (const file of sourceFiles()) {
    for (const key of (await boundarySettings(file)).keys()) if (!exercised.has(key) && !missing.has(key)) missing.set(key, file);
  }
  assert.deepEqual(
    [...missing].map(([key, file]) => `${key.slice(0, 120)}... (applies to ${file})`),
    [],
    'boundary rules without a planted violation',
  );
  // And the check can see them: the layers' blocks are really there.
  assert.ok(exercised.size >= 20, `only ${exercised.size} boundary settings found`);
});

describe('import circles', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyturn-cycles-'));
    mkdirSync(join(dir, 'shared'));
    mkdirSync(join(dir, 'electron', 'cli'), { recursive: true });
    copyFileSync(join(REPO, 'tsconfig.base.json'), join(dir, 'tsconfig.json'));
    // A circle through a type-only import still ties the two files together.
    writeFileSync(
      join(dir, 'electron', 'cli', 'program.ts'),
      "import { register } from './command.js';\nexport type Exit = number;\nregister();\n",
    );
    writeFileSync(
      join(dir, 'electron', 'cli', 'command.ts'),
      "import type { Exit } from './program.js';\nexport const register = (): Exit => 0;\n",
    );
    writeFileSync(join(dir, 'shared', 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'shared', 'b.ts'), 'export const b = 1;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('are found, type-only imports included, and nothing else is', async () => {
    const cycles = (await findImportCycles(dir)) as string[][];
    assert.deepEqual(
      cycles.map((cycle) => [...cycle].sort()),
      [['electron/cli/command.ts', 'electron/cli/program.ts']],
    );
  });
});
