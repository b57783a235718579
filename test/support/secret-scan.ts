// Proves "no secret value on disk": every file under a folder is searched for each secret and its common encodings.
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
