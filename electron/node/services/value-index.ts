// Finds which stored versions hold a value without reading the keychain: the value's fingerprint, made by the vault's
// one fingerprint function for each kind the inventory holds, is looked up among the inventory's fingerprints.
import type { Inventory, ValueMatch } from '../../../shared/domain/inventory.js';
import { isAsymmetric, type KeyKind } from '../../../shared/domain/key-kinds.js';

export type Fingerprint = (kind: KeyKind, value: string) => string | Promise<string>;

export interface ValueIndex {
  /** Stored versions (retired ones included) whose fingerprint equals this value's; empty when none. */
  find(value: string): Promise<ValueMatch[]>;
  /** False when the inventory holds no key: callers can skip the lookups altogether. */
  readonly empty: boolean;
}

export function createValueIndex(inventory: Inventory, fingerprint: Fingerprint): ValueIndex {
  const byKind = new Map<KeyKind, Map<string, ValueMatch[]>>();
  for (const record of inventory.keys) {
    let prints = byKind.get(record.kind);
    if (!prints) byKind.set(record.kind, (prints = new Map()));
    for (const v of record.versions) {
      const match: ValueMatch = { name: record.name, version: v.version, status: v.status, kind: record.kind, current: record.current };
      prints.set(v.fingerprint, [...(prints.get(v.fingerprint) ?? []), match]);
    }
  }
  return {
    empty: byKind.size === 0,
    async find(value) {
      const found: ValueMatch[] = [];
      for (const [kind, prints] of byKind) {
        // A PEM is the only text an asymmetric fingerprint accepts; anything else cannot match and need not be parsed.
        if (isAsymmetric(kind) && !value.includes('PRIVATE KEY-----')) continue;
        let print: string;
        try {
          print = await fingerprint(kind, value);
        } catch {
          continue; // not a value of this kind
        }
        found.push(...(prints.get(print) ?? []));
      }
      return found;
    },
  };
}
