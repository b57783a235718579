// Bundles the Node-side entry points with esbuild: Electron main and preload (CommonJS) and the installed CLI (ESM).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { cliBundle, mainBundle, preloadBundle, requiredModules, workerBundles } from './node-bundles.mjs';

await Promise.all([build(mainBundle), build(preloadBundle), build(cliBundle), ...workerBundles.map((b) => build(b))]);

const foreign = requiredModules(readFileSync(preloadBundle.outfile, 'utf8')).filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`build-node: the sandboxed preload must require only 'electron', but it requires ${foreign.join(', ')}`);
  process.exit(1);
}
