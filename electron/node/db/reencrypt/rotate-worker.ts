// Worker thread: re-encrypts (or identifies) the tokens of one batch at a time, off the main thread, so the next batch
// is encrypted while the previous one is written. Keys arrive once, in memory (workerData), never through a file.
import { parentPort, workerData } from 'node:worker_threads';
import { FernetKeyRing } from '../../crypto/fernet-key-ring.js';
import { processCells, type CellMode } from './rotate-cells.js';

export interface WorkerRequest {
  id: number;
  mode: CellMode;
  texts: (string | null)[];
}

const ring = new FernetKeyRing((workerData as { keys: string[] }).keys);

parentPort!.on('message', (request: WorkerRequest) => {
  try {
    const results = processCells(ring, request.texts, request.mode);
    parentPort!.postMessage({ id: request.id, ...results }, [results.codes.buffer as ArrayBuffer, results.from.buffer as ArrayBuffer]);
  } catch (error) {
    // Only a broken engine gets here (RotationCheckError); its message holds no value.
    parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : 'the crypto worker failed' });
  }
});
