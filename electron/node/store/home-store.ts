// KEYTURN_HOME's files and the one lock that guards them: inventory.json and audit.log change only under it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Inventory } from '../../../shared/domain/inventory.js';
import { AuditLog } from './audit-log.js';
import { withLock } from './file-lock.js';
import { readInventory, writeInventory } from './inventory-file.js';

export interface HomeStoreOptions {
  /** How long to wait for another Keyturn process to finish, in ms (default 10 s). */
  lockTimeoutMs?: number;
}

export class HomeStore {
  readonly inventoryPath: string;
  readonly lockPath: string;
  readonly audit: AuditLog;

  constructor(
    readonly home: string,
    private readonly options: HomeStoreOptions = {},
  ) {
    this.inventoryPath = join(home, 'inventory.json');
    this.lockPath = join(home, '.keyturn.lock');
    this.audit = new AuditLog(join(home, 'audit.log'));
  }

  /** A consistent snapshot without the lock: writes are atomic renames, so a reader never sees half a file. */
  readInventory(): Promise<Inventory> {
    return readInventory(this.inventoryPath);
  }

  /** Only inside locked(). */
  writeInventory(inventory: Inventory): Promise<void> {
    return writeInventory(this.inventoryPath, inventory);
  }

  async locked<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await mkdir(this.home, { recursive: true, mode: 0o700 });
    return withLock(this.lockPath, work, { timeoutMs: this.options.lockTimeoutMs ?? 10_000, ...(signal ? { signal } : {}) });
  }
}
