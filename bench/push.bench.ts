// Push to the loopback AWS Secrets Manager with the real SDK and the real vault (throwaway gnome-keyring): 50 keys
// pushed (wall time, calls per key against the floor of 2 writes + 1 read per created key) and `push status` over 200
// pushed keys, each beside an anchor: the same SDK calls made directly, without Keyturn's plan, vault and records.
import { SecretsManagerClient, CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { mapLimit } from '../electron/node/envcheck/map-limit.js';
import { startPushFixture } from '../test/support/push-fixture.js';

const PUSHED = Number(process.env.KEYTURN_BENCH_PUSH_N ?? '50');
const STATUS_KEYS = Number(process.env.KEYTURN_BENCH_STATUS_N ?? '200');

function median(ms: number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function run(): Promise<void> {
  const f = await startPushFixture();
  const rows: string[][] = [];
  try {
    const names = Array.from({ length: STATUS_KEYS }, (_, i) => `bench-key-${String(i).padStart(3, '0')}`);
    for (const name of names) await f.vault.generateAndStore({ name, options: { kind: 'fernet' } });
    const raw = new SecretsManagerClient({ region: 'eu-west-1', endpoint: f.aws.url });
    const value = 'x'.repeat(44);
    // Warm-up: SDK load, first connection, credentials.
    await raw.send(new GetSecretValueCommand({ SecretId: 'warm-up' })).catch(() => undefined);

    f.aws.resetCounts();
    const pushMs = await timed(() => f.push.push({ keys: names.slice(0, PUSHED).map((name) => ({ name })), target: 'aws' }));
    const calls = Object.fromEntries(f.aws.calls);
    const writes = (calls.CreateSecret ?? 0) + (calls.PutSecretValue ?? 0) + (calls.TagResource ?? 0);
    const reads = (calls.GetSecretValue ?? 0) + (calls.DescribeSecret ?? 0);
    const anchorPushMs = await timed(() =>
      mapLimit(names.slice(0, PUSHED), 1, async (name) => {
        await raw.send(new CreateSecretCommand({ Name: `anchor/${name}`, SecretString: value }));
        await raw.send(new GetSecretValueCommand({ SecretId: `anchor/${name}` }));
      }),
    );
    rows.push([
      `push ${PUSHED} new keys (plan read, create, read-back, records)`,
      pushMs.toFixed(0),
      anchorPushMs.toFixed(0),
      (pushMs / anchorPushMs).toFixed(1),
    ]);

    await f.push.push({ keys: names.slice(PUSHED).map((name) => ({ name })), target: 'aws' });
    const statusRuns: number[] = [];
    let drift = true;
    for (let i = 0; i < 5; i += 1) {
      f.aws.resetCounts();
      statusRuns.push(
        await timed(async () => {
          drift = (await f.push.status({ target: 'aws' })).drift;
        }),
      );
    }
    const statusCalls = f.aws.totalCalls();
    const anchorRuns: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      anchorRuns.push(await timed(() => mapLimit(names, 8, (name) => raw.send(new GetSecretValueCommand({ SecretId: name })))));
    }
    rows.push([
      `push status over ${STATUS_KEYS} pushed keys (median of 5)`,
      median(statusRuns).toFixed(0),
      median(anchorRuns).toFixed(0),
      (median(statusRuns) / median(anchorRuns)).toFixed(1),
    ]);

    const header = ['operation', 'keyturn ms', 'anchor ms', 'ratio'];
    const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
    for (const row of [header, ...rows])
      console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    console.log(
      `\ncalls per pushed key: ${(writes / PUSHED).toFixed(2)} writes + ${(reads / PUSHED).toFixed(2)} reads = ${((writes + reads) / PUSHED).toFixed(2)} ` +
        `(floor: 2 writes + 1 read = 3; by action: ${Object.entries(calls)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
    );
    console.log(
      `push status: ${statusCalls} reads for ${STATUS_KEYS} keys, drift=${drift}; anchor: the same GetSecretValue calls, 8 at a time`,
    );
  } finally {
    await f.stop();
  }
}
