// Proves "no secret value on disk": every file under a folder is searched for each secret and its common encodings.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The secret as written, its base64/base64url/hex forms, the bytes it encodes, and each line of a PEM body. */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>([
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
  ]);
  if (/^[A-Za-z0-9_-]+=*$/.test(secret)) {
    const bytes = Buffer.from(secret, 'base64url');
    variants.add(bytes.toString('base64'));
    variants.add(bytes.toString('hex'));
  }
  for (const line of secret.split('\n')) {
    if (/^[A-Za-z0-9+/=]{40,}$/.test(line)) variants.add(line);
  }
  // JSON-escaped form, as a PEM would appear inside a JSON string.
  variants.add(JSON.stringify(secret).slice(1, -1));
  return [...variants].filter((v) => v.length >= 16);
}

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Files under `dir` that contain any variant of any secret (empty when clean). */
export function filesHoldingSecrets(dir: string, secrets: string[]): string[] {
  const variants = secrets.flatMap(secretVariants);
  return filesUnder(dir).filter((file) => {
    const text = readFileSync(file, 'latin1');
    return variants.some((v) => text.includes(v));
  });
}

/**
 * The end-of-suite check of the CLI tests that reach loopback clouds: no canary (in any common encoding) in what the
 * CLI printed or in KEYTURN_HOME, and nothing in the log of connections beyond 127.0.0.1.
 */
export function assertNothingLeft(check: { printed: string; canaries: string[]; home: string; netLog: string }): void {
  assert.deepEqual(
    check.canaries.flatMap(secretVariants).filter((v) => check.printed.includes(v)),
    [],
    'no value on stdout or stderr',
  );
  assert.deepEqual(filesHoldingSecrets(check.home, check.canaries), [], 'no value in KEYTURN_HOME');
  assert.equal(existsSync(check.netLog) ? readFileSync(check.netLog, 'utf8') : '', '', 'no child connected beyond 127.0.0.1');
}
