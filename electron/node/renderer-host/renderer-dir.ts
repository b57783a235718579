// Finds the built renderer (dist/renderer) from wherever the code runs: tsx in a checkout, the CLI bundle, or the app.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';

/** Walks up from `start` looking for dist/renderer/index.html (or renderer/index.html beside a bundle). */
export function findRendererDir(start: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYTURN_RENDERER_DIR) {
    const dir = resolve(env.KEYTURN_RENDERER_DIR);
    if (existsSync(join(dir, 'index.html'))) return dir;
    throw new KeyturnError(
      'io',
      `KEYTURN_RENDERER_DIR (${dir}) holds no index.html: build the renderer with npm run build:renderer or unset the variable.`,
    );
  }
  let dir = resolve(start);
  for (;;) {
    for (const candidate of [join(dir, 'dist', 'renderer'), join(dir, 'renderer')]) {
      if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'assets'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new KeyturnError(
    'io',
    'The desktop UI is not built: run npm run build:renderer (npm run serve builds it for you), then start again.',
  );
}
