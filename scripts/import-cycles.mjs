// The import-circle check of `npm run lint`: every import between our own source files, type-only ones included
// (a circle through types still ties modules together so that neither can move alone), found by dpdm.
import { pathToFileURL } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';

const SOURCES = ['shared', 'electron', 'renderer', 'bench', 'test', 'scripts', 'e2e'].map((dir) => `${dir}/**/*.{ts,tsx,mjs}`);

/** Every circle among the source files under `cwd`, as lists of repo-relative paths. */
export async function findImportCycles(cwd = process.cwd()) {
  const tree = await parseDependencyTree(SOURCES, {
    cwd,
    context: cwd,
    // TypeScript's own resolution (through the project references), so `./x.js` finds `x.ts` as the compiler does.
    tsconfig: 'tsconfig.json',
    transform: false,
    skipDynamicImports: false,
    extensions: ['.ts', '.tsx', '.mjs', '.js', ''],
    js: ['.ts', '.tsx', '.mjs', '.js'],
    exclude: /[/\\](node_modules|dist)[/\\]/,
  });
  return parseCircular(tree);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cycles = await findImportCycles();
  for (const [i, cycle] of cycles.entries()) console.error(`${i + 1}) ${[...cycle, cycle[0]].join(' -> ')}`);
  if (cycles.length > 0) {
    console.error(`import-cycles: ${cycles.length} import circle(s); break each one (type-only imports count too).`);
    process.exitCode = 1;
  }
}
