// Job ids are typed on command lines (`keyturn jobs resume ID`), so none may look like an option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newJobId } from './job-files.js';

test('a job id never starts with "-" (CI once saw `unknown option -Joz52D5rs2EnR3D` from a resume)', () => {
  // With the old base64url ids, one in 64 started with "-": 4096 draws miss that with odds of about 1e-28.
  const ids = Array.from({ length: 4096 }, newJobId);
  for (const id of ids) assert.match(id, /^[0-9a-f]{24}$/, `id ${id} must be 24 hex digits`);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});
