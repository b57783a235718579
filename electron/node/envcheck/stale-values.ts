// After `keys rotate`, a .env file that still holds the old version is the gap users miss: each value (and each item
// of a "new,old" list) is looked up by fingerprint among the stored versions. The keychain is never read.
import type { ValueMatch } from '../../../shared/domain/inventory.js';
import type { EnvFinding } from '../../../shared/envcheck/report.js';
import type { ParsedEnv } from '../../../shared/formats/env-file.js';
import type { ValueIndex } from '../services/value-index.js';
import { shellQuote } from './rule-context.js';

export interface StaleOptions {
  /** The file as findings show it, for the suggested command. */
  shown: string;
  /** Also report values that equal a current version. */
  verbose: boolean;
}

function versionWord(m: ValueMatch): string {
  return `${m.name} v${m.version}`;
}

/** Findings for the variables whose values are stored key versions: stale ones always, current ones when verbose. */
export async function staleValueFindings(parsed: ParsedEnv, index: ValueIndex, options: StaleOptions): Promise<EnvFinding[]> {
  if (index.empty) return [];
  const last = new Map(parsed.entries.map((e) => [e.key, e]));
  const findings: EnvFinding[] = [];
  for (const entry of last.values()) {
    const value = entry.value;
    if (value === null || value.trim() === '' || entry.interpolated) continue;
    // A MultiFernet list ("new,old"): the first item encrypts, the others only decrypt during an overlap.
    const items = value.includes(',') ? value.split(',').map((v) => v.trim()) : [value.trim()];
    const list = items.length > 1;
    for (const [i, item] of items.entries()) {
      const matches = await index.find(item);
      for (const m of matches) {
        const where = list ? ` (item ${i + 1} of ${items.length})` : '';
        const set = `keyturn env set ${shellQuote(options.shown)} ${entry.key} --from-key ${m.name}${list ? ' --multi' : ''}`;
        const base = { variable: entry.key, line: entry.line };
        if (m.status === 'retired') {
          findings.push({
            ...base,
            code: 'stale-value',
            severity: 'error',
            message: `${entry.key}${where} holds ${versionWord(m)}, which was retired (deleted from the keychain): the application still uses a key the rotation replaced. Write v${m.current} with \`${set}\`.`,
            fix: { action: 'set-from-key', command: set },
          });
        } else if (m.status === 'retiring' && i === 0) {
          findings.push({
            ...base,
            code: 'stale-value',
            severity: 'warning',
            message: `${entry.key}${where} holds ${versionWord(m)}, which is retiring: v${m.current} is current since the last rotation. Write it with \`${set}\`${list ? '' : ' (with --multi it writes "new,old", for an application that reads a MultiFernet list during the overlap)'}.`,
            fix: { action: 'set-from-key', command: set },
          });
        } else if (options.verbose) {
          const state = m.status === 'current' ? 'current' : 'retiring, kept for decryption';
          findings.push({
            ...base,
            code: 'key-match',
            severity: 'info',
            message: `${entry.key}${where} matches ${versionWord(m)} (${state}).`,
          });
        }
      }
    }
  }
  return findings;
}
