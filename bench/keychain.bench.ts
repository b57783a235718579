// Keychain and store latencies on a throwaway gnome-keyring: what the Secret Service check before each libsecret call
// costs, a read and a chunked write, and the audit log / inventory writes every vault action makes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../electron/node/crypto/generate-key.js';
import { createKeychain } from '../electron/node/keychain/create-keychain.js';
import { probeSecretService } from '../electron/node/keychain/secret-service-probe.js';
import { AuditLog } from '../electron/node/store/audit-log.js';
import { readInventory, writeInventory } from '../electron/node/store/inventory-file.js';
import type { Inventory } from '../shared/domain/inventory.js';
import { startSecretService } from '../test/support/secret-service.js';

const N = Number(process.env.KEYTURN_BENCH_KEYCHAIN_N ?? '40');

async function time(label: string, n: number, op: (i: number) => Promise<unknown>): Promise<string[]> {
  await op(-1); // warm-up: first D-Bus connection, tsx compile
  const ms: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = process.hrtime.bigint();
    await op(i);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const pick = (q: number): string => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
  return [label, String(n), pick(0.5), pick(0.95), ms[ms.length - 1]!.toFixed(2)];
}

export async function run(): Promise<void> {
  const session = await startSecretService({ unlocked: true });
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-bench-'));
  // libsecret reads the bus address once, at its first call in this process.
  const saved = { ...process.env };
  Object.assign(process.env, session.env);
  const rows: string[][] = [];
  try {
    const keychain = createKeychain('keyturn-bench', session.env);
    const fernet = (await generateKey({ kind: 'fernet' })).secret;
    const rsa = (await generateKey({ kind: 'jwt-rsa', bits: 4096 })).secret; // ~3.2 KB: two entries
    await keychain.set('small@v1', fernet);
    const raw = (await import('keytar')).default;
    rows.push(await time('Secret Service check (D-Bus, own socket)', N, () => probeSecretService(session.env)));
    rows.push(await time('keytar get alone (44 B)', N, () => raw.getPassword('keyturn-bench', 'small@v1')));
    rows.push(await time('adapter get = check + keytar get (44 B)', N, () => keychain.get('small@v1')));
    rows.push(
      await time('adapter set+get+delete, 3.2 KB in 2 chunks', Math.ceil(N / 2), async (i) => {
        const account = `rsa-${i}@v1`;
        await keychain.set(account, rsa);
        await keychain.get(account);
        await keychain.delete(account);
      }),
    );
    const log = new AuditLog(join(dir, 'audit.log'));
    rows.push(
      await time('audit append (fsync line + head)', N * 5, () =>
        log.appendUnlocked({ action: 'reveal', key: 'pii', version: 1, outcome: 'ok' }),
      ),
    );
    rows.push(await time(`audit verify (${N * 5 + 1} lines)`, 10, () => log.verify()));
    const inventory: Inventory = { format: 1, keys: [] };
    for (let i = 0; i < 200; i += 1) {
      inventory.keys.push({
        name: `k${i}`,
        kind: 'fernet',
        tags: [],
        current: 1,
        versions: [{ version: 1, status: 'current', created: new Date().toISOString(), fingerprint: 'sha256:x', size: 256, chunks: 1 }],
      });
    }
    const path = join(dir, 'inventory.json');
    rows.push(await time('inventory write, 200 keys (temp+fsync+rename)', N, () => writeInventory(path, inventory)));
    rows.push(await time('inventory read + validate, 200 keys', N, () => readInventory(path)));
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(dir, { recursive: true, force: true });
    await session.stop();
  }
  const header = ['operation', 'n', 'p50 ms', 'p95 ms', 'max ms'];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
  for (const row of [header, ...rows])
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}
