// A child process for the lock tests: takes the home lock N times and increments a counter file inside it, with a
// deliberate await between read and write so that without the lock increments would be lost.
import { readFile, writeFile } from 'node:fs/promises';
import { withLock } from '../../electron/node/store/file-lock.js';

const [lockPath, counterPath, rounds] = process.argv.slice(2) as [string, string, string];
for (let i = 0; i < Number(rounds); i += 1) {
  await withLock(
    lockPath,
    async () => {
      const n = Number(await readFile(counterPath, 'utf8').catch(() => '0'));
      await new Promise((r) => setImmediate(r));
      await writeFile(counterPath, String(n + 1));
    },
    { timeoutMs: 30_000 },
  );
}
