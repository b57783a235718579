// The audit log's hash chain: any edited, removed, inserted or reordered line is found, and named by its number.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AUDIT_GENESIS } from '../../../shared/domain/audit.js';
import { AuditLog } from './audit-log.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-audit-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function logWith(lines: number): Promise<AuditLog> {
  n += 1;
  const log = new AuditLog(join(root, `audit-${n}.log`));
  for (let i = 1; i <= lines; i += 1) {
    await log.appendUnlocked({ action: i % 2 ? 'store' : 'reveal', key: `key-${i}`, version: i, outcome: 'ok' });
  }
  return log;
}

function rewrite(log: AuditLog, change: (lines: string[]) => string[]): void {
  const lines = readFileSync(log.path, 'utf8').trimEnd().split('\n');
  writeFileSync(log.path, `${change(lines).join('\n')}\n`);
}

test('an untouched log verifies; its first line chains from the genesis hash', async () => {
  const log = await logWith(5);
  assert.deepEqual(await log.verify(), { ok: true, lines: 5 });
  const entries = await log.entries();
  assert.equal(entries[0]!.prev, AUDIT_GENESIS);
  for (let i = 1; i < entries.length; i += 1) assert.equal(entries[i]!.prev, entries[i - 1]!.hash);
});

test('each hash is SHA-256 over the line without its hash field (checked by an independent Python reading)', async () => {
  const log = await logWith(3);
  const script = `
import hashlib, json, sys
ok = True
for line in open(sys.argv[1]):
    e = json.loads(line)
    h = e.pop('hash')
    if hashlib.sha256(json.dumps(e, separators=(',', ':'), ensure_ascii=False).encode()).hexdigest() != h: ok = False
print('ok' if ok else 'bad')`;
  assert.equal(execFileSync('/usr/bin/python3', ['-c', script, log.path]).toString().trim(), 'ok');
});

test('an edited line is named', async () => {
  const log = await logWith(5);
  rewrite(log, (l) => l.map((line, i) => (i === 2 ? line.replace('"outcome":"ok"', '"outcome":"failed"') : line)));
  const result = await log.verify();
  assert.equal(result.ok, false);
  assert.equal(result.firstBadLine, 3);
  assert.match(result.reason!, /edited/);
});

test('a removed line is found at the line that followed it', async () => {
  const log = await logWith(5);
  rewrite(log, (l) => l.filter((_, i) => i !== 1));
  const result = await log.verify();
  assert.equal(result.firstBadLine, 2);
  assert.match(result.reason!, /removed, inserted or reordered/);
});

test('two swapped lines are found', async () => {
  const log = await logWith(5);
  rewrite(log, (l) => [l[0]!, l[2]!, l[1]!, l[3]!, l[4]!]);
  assert.equal((await log.verify()).firstBadLine, 2);
});

test('lines cut from the end are found through audit.head, and no new line is chained onto the cut log', async () => {
  const log = await logWith(5);
  rewrite(log, (l) => l.slice(0, 3));
  const result = await log.verify();
  assert.equal(result.ok, false);
  assert.equal(result.firstBadLine, 4);
  assert.match(result.reason!, /removed from the end/);
  await assert.rejects(log.appendUnlocked({ action: 'store', key: 'k', outcome: 'ok' }), { code: 'audit-broken' });
});

test('a field Keyturn never writes makes the line bad (it would not be covered by the hash)', async () => {
  const log = await logWith(2);
  rewrite(log, (l) => [l[0]!.replace('{', '{"value":"x",'), l[1]!]);
  const result = await log.verify();
  assert.equal(result.firstBadLine, 1);
  assert.match(result.reason!, /never writes/);
});

test('a torn last line stops further appends with audit-broken', async () => {
  const log = await logWith(2);
  writeFileSync(log.path, readFileSync(log.path, 'utf8') + '{"ts":"2');
  await assert.rejects(log.appendUnlocked({ action: 'store', key: 'k', outcome: 'ok' }), { code: 'audit-broken' });
  assert.equal((await log.verify()).firstBadLine, 3);
});

test('a crash between appending a line and updating audit.head is tolerated', async () => {
  const log = await logWith(3);
  const head = readFileSync(log.headPath, 'utf8');
  await log.appendUnlocked({ action: 'store', key: 'k4', outcome: 'ok' });
  writeFileSync(log.headPath, head); // as if the process died before writing the new head
  assert.deepEqual(await log.verify(), { ok: true, lines: 4 });
  await log.appendUnlocked({ action: 'store', key: 'k5', outcome: 'ok' });
  assert.deepEqual(await log.verify(), { ok: true, lines: 5 });
});
