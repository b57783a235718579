// KEYTURN_HOME/targets.json: the push targets, validated on read and written atomically under the home lock. It holds
// where secrets go and how to reach them, never a credential (URLs with a user or password are refused on add).
import { join } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { checkTarget, targetsFileSchema, type Target, type TargetsFile } from '../../../shared/push/targets.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
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

  const read = (): Promise<TargetsFile> =>
    readJsonFile<TargetsFile>(path, targetsFileSchema, 'a Keyturn targets file', () => ({ format: 1, targets: [] }));

  async function write(file: TargetsFile): Promise<void> {
    const sorted = { ...file, targets: [...file.targets].sort((a, b) => a.name.localeCompare(b.name)) };
    await writeJsonFile(path, sorted);
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
