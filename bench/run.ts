// `npm run bench`: runs every bench/*.bench.ts in turn (or those whose name contains an argument) and prints their tables.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failures = 0;
for (const file of benches) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<void> };
    await mod.run();
  } catch (error) {
    failures += 1;
    console.error(`bench ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
