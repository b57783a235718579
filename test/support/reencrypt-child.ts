// A child process that runs one re-encryption job (or resumes it) from a job folder, for kill -9 tests: the job, URL
// and keys arrive on stdin (never argv), and a line "commit N" goes to stdout after every checkpoint.
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
const { result } = await runJob({ ...input, onCommit: (_, n) => process.stdout.write(`commit ${n}\n`) });
process.stdout.write(`done ${JSON.stringify({ finished: result.finished })}\n`);
