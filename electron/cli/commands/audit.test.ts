// `keyturn audit` end to end (no keychain needed): list prints the lines, verify exits 1 naming the first bad line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AuditLog } from '../../node/store/audit-log.js';
import { runCli } from '../../../test/support/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'keyturn-audit-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function homeWithLog(name: string): Promise<{ env: NodeJS.ProcessEnv; log: AuditLog }> {
  const home = join(root, name);
  const log = new AuditLog(join(home, 'audit.log'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(home, { recursive: true });
  await log.appendUnlocked({ action: 'generate', key: 'pii', version: 1, outcome: 'ok' });
  await log.appendUnlocked({ action: 'reveal', key: 'pii', version: 1, outcome: 'ok' });
  await log.appendUnlocked({ action: 'rotate', key: 'pii', version: 2, outcome: 'ok' });
  await log.appendUnlocked({ action: 'retire', key: 'pii', version: 1, outcome: 'refused', code: 'refused' });
  return { env: { ...process.env, KEYTURN_HOME: home }, log };
}

test('audit list prints each action; --json gives the entries', async () => {
  const { env } = await homeWithLog('list');
  const human = await runCli(['audit'], { env });
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /generate\s+pii@v1\s+ok\n.*reveal\s+pii@v1\s+ok\n.*rotate\s+pii@v2\s+ok\n.*retire\s+pii@v1\s+refused\n$/);
  const json = JSON.parse((await runCli(['audit', 'list', '--json', '--limit', '2'], { env })).stdout) as { entries: { action: string }[] };
  assert.deepEqual(
    json.entries.map((e) => e.action),
    ['rotate', 'retire'],
  );
});

test('audit verify exits 0 on an intact chain and 1 naming the first edited, removed or reordered line', async () => {
  const { env, log } = await homeWithLog('verify');
  const ok = await runCli(['audit', 'verify'], { env });
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /4 lines, hash chain intact/);

  const original = readFileSync(log.path, 'utf8');
  const lines = original.trimEnd().split('\n');
  const tamper = async (text: string) => {
    writeFileSync(log.path, text);
    const human = await runCli(['audit', 'verify'], { env });
    const json = await runCli(['audit', 'verify', '--json'], { env });
    writeFileSync(log.path, original);
    return { human, json: JSON.parse(json.stdout) as { ok: boolean; firstBadLine: number; reason: string }, jsonCode: json.code };
  };

  const edited = await tamper(original.replace('"action":"reveal"', '"action":"copy"'));
  assert.equal(edited.human.code, 1);
  assert.match(edited.human.stderr, /BROKEN at line 2: line 2 was edited/);
  assert.deepEqual([edited.jsonCode, edited.json.ok, edited.json.firstBadLine], [1, false, 2]);

  const removed = await tamper(`${[lines[0], lines[2], lines[3]].join('\n')}\n`);
  assert.equal(removed.json.firstBadLine, 2);
  assert.match(removed.human.stderr, /removed, inserted or reordered/);

  const reordered = await tamper(`${[lines[0], lines[1], lines[3], lines[2]].join('\n')}\n`);
  assert.equal(reordered.json.firstBadLine, 3);

  const truncated = await tamper(`${lines.slice(0, 3).join('\n')}\n`);
  assert.equal(truncated.json.firstBadLine, 4);
  assert.match(truncated.human.stderr, /removed from the end/);
});
