// The throughput ceiling `openssl speed` measures for the primitives inside one Fernet token (AES-128-CBC and
// HMAC-SHA256 at the token's sizes), so the Fernet bench can say how close to the metal it runs.
import { spawnSync } from 'node:child_process';

export type FernetOp = 'encrypt' | 'decrypt' | 'rotate';

/** Operations per second `openssl speed -mr` reports for one buffer size, or null when openssl cannot run. */
function opensslOps(args: string[], bytes: number): number | null {
  const run = spawnSync('openssl', ['speed', ...args, '-bytes', String(bytes), '-seconds', '1', '-mr'], { encoding: 'utf8' });
  if (run.status !== 0) return null;
  // "+F:<n>:<algorithm>:<bytes per second>" on stdout is the machine-readable result for the one size asked.
  const result = /^\+F:\d+:[^:]+:([\d.]+)$/m.exec(run.stdout);
  if (!result) return null;
  return Number(result[1]) / bytes;
}

export interface OpensslBound {
  /** Tokens per second if a token cost only its AES and HMAC work at openssl's speed. */
  perOp: Record<FernetOp, number>;
  detail: string;
}

/**
 * For a plaintext of `size` bytes: AES-128-CBC over the padded ciphertext, HMAC-SHA256 over version, time, IV and
 * ciphertext. Encrypt = 1 AES encrypt + 1 HMAC; decrypt = 1 HMAC + 1 AES decrypt; rotate (MultiFernet([new, old])
 * on an old token, as benchmarked) = 3 HMACs (a failed check under the new key, a check under the old, the new MAC)
 * + 1 AES decrypt + 1 AES encrypt.
 */
export function opensslBound(size: number): OpensslBound | null {
  const ciphertext = size - (size % 16) + 16;
  const macInput = 25 + ciphertext;
  const encrypt = opensslOps(['-evp', 'aes-128-cbc'], ciphertext);
  const decrypt = opensslOps(['-decrypt', '-evp', 'aes-128-cbc'], ciphertext);
  const hmac = opensslOps(['-hmac', 'sha256'], macInput);
  if (!encrypt || !decrypt || !hmac) return null;
  const t = { enc: 1 / encrypt, dec: 1 / decrypt, mac: 1 / hmac };
  return {
    perOp: { encrypt: 1 / (t.enc + t.mac), decrypt: 1 / (t.dec + t.mac), rotate: 1 / (t.dec + t.enc + 3 * t.mac) },
    detail: `openssl speed at ${size} B: aes-128-cbc enc ${fmt(encrypt)}/s, dec ${fmt(decrypt)}/s (${ciphertext} B); hmac(sha256) ${fmt(hmac)}/s (${macInput} B)`,
  };
}

export function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}
