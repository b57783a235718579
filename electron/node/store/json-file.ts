// Keyturn's own JSON files in KEYTURN_HOME (the inventory, targets.json): read and validated with a sentence for
// every way they can be wrong, written atomically with the previous version kept as `<file>.bak`.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';

/**
 * The file's content checked against `schema`; `empty()` when it does not exist yet. `what` names it in errors
 * ("a Keyturn inventory"), which always say how to recover (the `.bak` beside it).
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType, what: string, empty: () => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return empty();
    throw new KeyturnError('io', `Keyturn cannot read ${path} (${code ?? 'error'}); check its permissions.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyturnError('io', `${path} is not valid JSON; restore it from ${path}.bak (the previous version) and try again.`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join('.') ?? '';
    throw new KeyturnError('io', `${path} is not ${what} (problem at "${where}"); restore it from ${path}.bak and try again.`);
  }
  return result.data as T;
}

/** Pretty JSON with a final newline, atomically, the previous version kept as `<file>.bak`. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { backup: true });
}
