// Secret values printed in the seeds' guides and in specifications: anyone can read them, so they count as compromised.

export interface PublicExample {
  value: string;
  source: string;
}

export const PUBLIC_EXAMPLES: readonly PublicExample[] = [
  {
    value: 'AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=',
    source: 'the ResumeRAG Phase 2 migration guide (seed 000, Step 4: example output of Fernet.generate_key())',
  },
  {
    value: '7kZG2h9Xp4nQvCmR3tYwLbJ8fD5aH6sU1eVrP0zA',
    source: 'the ResumeRAG Phase 2 migration guide (seed 000, Step 4: example output of secrets.token_urlsafe(32))',
  },
  {
    value: 'postgresql+asyncpg://postgres:postgres@localhost:5432/resumerag',
    source: 'the ResumeRAG Phase 2 migration guide (seed 000, Step 5: example DATABASE_URL with the default postgres password)',
  },
  {
    value: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
    source: 'the Fernet specification test vectors (github.com/fernet/spec)',
  },
];

const BY_VALUE = new Map(PUBLIC_EXAMPLES.map((e) => [e.value, e]));

/** The published example this value is, if any (surrounding whitespace ignored; every item of a comma list checked). */
export function findPublicExample(value: string): PublicExample | undefined {
  const direct = BY_VALUE.get(value.trim());
  if (direct) return direct;
  if (value.includes(',')) {
    for (const part of value.split(',')) {
      const hit = BY_VALUE.get(part.trim());
      if (hit) return hit;
    }
  }
  return undefined;
}
