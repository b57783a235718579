#!/usr/bin/env node
// Installed entry (`npm install -g .` or `npm link` in a checkout): runs the built CLI, dist/cli/main.js.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write(
    'keyturn: the CLI is not built in this checkout; run `npm run build` in it (npm install does not build), then try again. [io]\n',
  );
  process.exitCode = 1;
}
