// Option helpers shared by the vault commands (`keys`, `generate --store`): repeatable values and key labels.

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** --env-var, repeatable --tag and --notes, as the vault takes them. */
export function labelsFrom(opts: Record<string, unknown>): { envVar?: string; tags?: string[]; notes?: string } {
  return {
    ...(typeof opts.envVar === 'string' ? { envVar: opts.envVar } : {}),
    ...(Array.isArray(opts.tag) ? { tags: opts.tag.map(String) } : {}),
    ...(typeof opts.notes === 'string' ? { notes: opts.notes } : {}),
  };
}
