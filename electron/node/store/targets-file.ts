// KEYTURN_HOME/targets.json: the push targets, validated on read and written atomically under the home lock. It holds
// where secrets go and how to reach them, never a credential (URLs with a user or password are refused on add).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { checkTarget, targetsFileSchema, type Target, type TargetsFile } from '../../../shared/push/targets.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import type { HomeStore } from './home-store.js';

export interface TargetsStore {
  readonly path: string;
  list(): Promise<Target[]>;
  /** The target, or not-found naming the ones there are. */
  get(name: string): Promise<Target>;
  /** Adds a validated target; an existing name is refused unless `replace`. */
  add(target: Target, options?: { replace?: boolean; signal?: AbortSignal }): Promise<Target>;
  remove(name: string, signal?: AbortSignal): Promise<void>;
}

export function createTargetsStore(home: HomeStore): TargetsStore {
  const path = join(home.home, 'targets.json');

  async function read(): Promise<TargetsFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, targets: [] };
      throw new KeyturnError(
        'io',
        `Keyturn cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KeyturnError('io', `${path} is not valid JSON; restore it from ${path}.bak (the previous version) and try again.`);
    }
    const result = targetsFileSchema.safeParse(parsed);
    if (!result.success) {
      const where = result.error.issues[0]?.path.join('.') ?? '';
      throw new KeyturnError(
        'io',
        `${path} is not a Keyturn targets file (problem at "${where}"); restore it from ${path}.bak and try again.`,
      );
    }
    return result.data as TargetsFile;
  }

  async function write(file: TargetsFile): Promise<void> {
    const sorted = { ...file, targets: [...file.targets].sort((a, b) => a.name.localeCompare(b.name)) };
    await writeFileAtomic(path, `${JSON.stringify(sorted, null, 2)}\n`, { backup: true });
  }

  const notFound = (name: string, targets: Target[]) =>
    new KeyturnError(
      'not-found',
      `No target named "${name.slice(0, 64)}"; ${targets.length > 0 ? `there are ${targets.map((t) => t.name).join(', ')}` : 'add one with "keyturn targets add"'}.`,
    );

  return {
    path,
    list: async () => (await read()).targets,
    async get(name) {
      const { targets } = await read();
      const found = targets.find((t) => t.name === name);
      if (!found) throw notFound(name, targets);
      return found;
    },
    async add(input, { replace = false, signal } = {}) {
      const target = checkTarget(input);
      return home.locked(async () => {
        const file = await read();
        if (!replace && file.targets.some((t) => t.name === target.name)) {
          throw new KeyturnError('already-exists', `A target named ${target.name} already exists; remove it first or choose another name.`);
        }
        await write({ ...file, targets: [...file.targets.filter((t) => t.name !== target.name), target] });
        return target;
      }, signal);
    },
    async remove(name, signal) {
      await home.locked(async () => {
        const file = await read();
        if (!file.targets.some((t) => t.name === name)) throw notFound(name, file.targets);
        await write({ ...file, targets: file.targets.filter((t) => t.name !== name) });
      }, signal);
    },
  };
}
