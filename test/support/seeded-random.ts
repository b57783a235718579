// A seeded PRNG (mulberry32) for test-case generation: failures reproduce from the printed seed. Never for keys.

export interface SeededRandom {
  seed: number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
}

export function seededRandom(seed = Number(process.env.KEYTURN_TEST_SEED ?? Date.now() % 2 ** 31)): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    bytes: (n) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i += 1) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

/** One random edit of `text` (insert, delete or replace a character from `pool`), for near-miss test inputs. */
export function mutateOnce(rng: SeededRandom, text: string, pool: readonly string[]): string {
  const at = rng.int(text.length + 1);
  const op = rng.int(3);
  if (op === 0) return text.slice(0, at) + rng.pick(pool) + text.slice(at);
  if (op === 1) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + rng.pick(pool) + text.slice(at + 1);
}
