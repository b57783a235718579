// A few worker threads doing the Fernet work of whole batches, so crypto overlaps the database round trips: while
// batch N is written, batch N+1 is already being re-encrypted. Batches are spread over the workers in turn.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KeyturnError } from '../../../../shared/domain/errors.js';
import type { CellMode, CellResults } from './rotate-cells.js';

interface Pending {
  resolve(results: CellResults): void;
  reject(error: Error): void;
}

/**
 * Starts one worker. Built, the bundled rotate-worker.js sits beside the bundle. From source (tsx), a worker does not
 * inherit tsx's loader, so a two-line bootstrap registers it first and then imports the .ts worker.
 */
function startWorker(keys: readonly string[]): Worker {
  // Electron's CommonJS main bundle defines import.meta.url as its own file's URL (scripts/node-bundles.mjs).
  const base = import.meta.url;
  const source = new URL('./rotate-worker.ts', base);
  const workerData = { keys: [...keys] };
  if (!existsSync(fileURLToPath(source))) return new Worker(new URL('./rotate-worker.js', base), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class CryptoPool {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #turn = 0;
  #failure: Error | null = null;

  /** `keys`: Fernet key texts, the new key first. They reach the workers in memory only. */
  constructor(keys: readonly string[], size: number = defaultWorkerCount()) {
    this.#workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = startWorker(keys);
      worker.on('message', (message: { id: number; error?: string } & Partial<CellResults>) => this.#settle(message));
      worker.on('error', (error) => this.#fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.#fail(new Error(`a crypto worker exited with code ${code}`));
      });
      return worker;
    });
  }

  run(mode: CellMode, texts: (string | null)[]): Promise<CellResults> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = (this.#next += 1);
    const worker = this.#workers[this.#turn]!;
    this.#turn = (this.#turn + 1) % this.#workers.length;
    return new Promise<CellResults>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, mode, texts });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #settle(message: { id: number; error?: string } & Partial<CellResults>): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.error !== undefined)
      pending.reject(new KeyturnError('internal', `Re-encryption stopped: ${message.error}. Nothing from this batch was written.`));
    else pending.resolve({ codes: message.codes!, from: message.from!, tokens: message.tokens! });
  }

  #fail(error: Error): void {
    this.#failure = new KeyturnError('internal', `A crypto worker failed (${error.name}); nothing from its batch was written.`);
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
}
