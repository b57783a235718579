import { generateFernetKey, Fernet } from './electron/node/crypto/fernet.ts';
import { startPostgres } from './test/support/postgres-server.ts';
import { pgClient } from './test/support/reencrypt-fixture.ts';
import { runJob } from './test/support/reencrypt-harness.ts';
const keys = { old: generateFernetKey(), new: generateFernetKey() };
const server = await startPostgres();
try {
  const db = await pgClient(server.url());
  await db.exec('CREATE TABLE t (id bigint PRIMARY KEY, email text, ssn text)');
  const old = new Fernet(keys.old); const N = Number(process.env.N ?? 20000);
  const ids = Array.from({ length: N }, (_, i) => i + 1);
  await db.exec('INSERT INTO t SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[])', [ids, ids.map(i => old.encrypt(Buffer.from(`person.number.${i}@example.com`))), ids.map(i => old.encrypt(Buffer.from(`123-45-${i}`)))]);
  await db.exec('ANALYZE t');
  const plan = await db.rows(`EXPLAIN UPDATE t SET email = v.n0 FROM unnest($1::text[], $2::text[], $3::text[]) AS v(k0, e0, n0) WHERE t.id = v.k0::bigint AND t.email IS NOT DISTINCT FROM v.e0`.replace(/\$\d/g, '?'), [['1'], ['a'], ['b']]);
  console.log(plan.map(r => r[0]).join('\n'));
  const timing = { read: 0, write: 0, n: 0 };
  const t0 = performance.now();
  const { result } = await runJob({ url: server.url(), keys, params: { table: 't', columns: ['email', 'ssn'] }, wrapStore: (s) => ({ ...s,
    async readBatch(q, a, l) { const t = performance.now(); const r = await s.readBatch(q, a, l); timing.read += performance.now() - t; return r; },
    async writeBatch(q, u, r) { const t = performance.now(); const x = await s.writeBatch(q, u, r); timing.write += performance.now() - t; timing.n++; return x; } }) });
  const total = performance.now() - t0;
  console.log({ rows: result.tables[0].rows, total: Math.round(total), rate: Math.round(N / total * 1000), read: Math.round(timing.read), write: Math.round(timing.write), batches: timing.n });
  await db.close();
} finally { await server.stop(); }
