// A child process that runs one re-encryption job (or resumes it) from a job folder, for kill -9 tests: the job, URL
// and keys arrive on stdin (never argv), and a line "commit N" goes to stdout after every checkpoint. The last line
// reports the peak resident set size seen at the commits (the bench's "memory stays flat" check).
import { readFileSync } from 'node:fs';
import { runJob, type RingKeys } from './reencrypt-harness.js';
import type { ReencryptParams } from '../../electron/node/db/reencrypt/reencrypt-types.js';

interface ChildInput {
  dir: string;
  url: string;
  keys: RingKeys;
  params: Partial<ReencryptParams> & { table: string; columns: string[] };
}

const input = JSON.parse(readFileSync(0, 'utf8')) as ChildInput;
let peakRss = process.memoryUsage().rss;
const { result } = await runJob({
  ...input,
  onCommit: (_, n) => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    process.stdout.write(`commit ${n}\n`);
  },
});
process.stdout.write(`done ${JSON.stringify({ finished: result.finished, peakRss })}\n`);
