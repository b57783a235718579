// `npm run typecheck`: every TypeScript project. electron/main and electron/preload need the types inside the electron
// package (a devDependency, installed without its binary on any Node.js); where it is missing, that project is skipped,
// saying why.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json'];
if (existsSync('node_modules/electron/electron.d.ts')) {
  projects.push('tsconfig.electron.json');
} else {
  console.log(
    'typecheck: skipping tsconfig.electron.json (electron/main, electron/preload): the electron package is not installed, ' +
      'so its types are missing. `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install` installs it without the binary, as CI does.',
  );
}
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck: ${project} has errors`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
