// Combines a profile, .env.example annotations and a schema file into one rule per variable, reporting disagreements.
import type { ExampleRules } from './example-annotations.js';
import type { UserSchema } from './user-schema.js';
import type { EnvProfile, PatternRule, RuleFields, RuleSource, VarRule } from './types.js';

export interface RuleSet {
  byName: Map<string, VarRule>;
  patterns: PatternRule[];
  /** Names a `.env.example` declares, for drift checks; null when no example applies. */
  example: { file: string; names: Set<string> } | null;
  /** A profile or a schema is in force, so undeclared variables are worth an info finding. */
  hasRules: boolean;
  profile?: string;
}

export interface RuleConflict {
  /** The later source's file (schema or example) or `profile:<id>`. */
  file: string;
  line?: number;
  variable: string;
  message: string;
}

export interface RuleLayers {
  profile?: EnvProfile;
  example?: { file: string; rules: ExampleRules };
  schema?: UserSchema;
}

/** Fields whose disagreement is worth reporting; descriptions, defaults and notes simply follow the later source. */
const COMPARED: (keyof RuleFields)[] = ['type', 'min', 'max', 'schemes', 'pattern', 'values', 'secret'];

export function describeSource(source: RuleSource): string {
  if (source.kind === 'profile') return `profile ${source.profile} (${source.section})`;
  if (source.kind === 'schema') return `schema ${source.file}${source.line ? ` line ${source.line}` : ''}`;
  return `${source.file} line ${source.line}`;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function show(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function sourceFile(source: RuleSource): { file: string; line?: number } {
  if (source.kind === 'profile') return { file: `profile:${source.profile}` };
  return source.line !== undefined ? { file: source.file, line: source.line } : { file: source.file };
}

export function buildRuleSet(layers: RuleLayers): { rules: RuleSet; conflicts: RuleConflict[] } {
  const merged = new Map<string, { fields: RuleFields; sources: RuleSource[] }>();
  const conflicts: RuleConflict[] = [];

  const apply = (name: string, fields: RuleFields, source: RuleSource): void => {
    const current = merged.get(name);
    if (!current) {
      merged.set(name, { fields: { ...fields }, sources: [source] });
      return;
    }
    const where = sourceFile(source);
    for (const key of COMPARED) {
      const before = current.fields[key];
      const after = fields[key];
      if (before !== undefined && after !== undefined && !same(before, after)) {
        const conflict: RuleConflict = {
          ...where,
          variable: name,
          message: `${name}: ${describeSource(source)} says ${key} ${show(after)}, but ${describeSource(current.sources[current.sources.length - 1]!)} says ${show(before)}; ${describeSource(source)} wins. Make them agree.`,
        };
        conflicts.push(conflict);
      }
    }
    // Tightening (optional -> required) is a team's choice; loosening a requirement is the conflict worth a finding.
    if (current.fields.required === true && fields.required === false) {
      conflicts.push({
        ...where,
        variable: name,
        message: `${name}: ${describeSource(source)} says optional, but ${describeSource(current.sources[0]!)} requires it; required wins. Make them agree.`,
      });
    }
    const required = current.fields.required === true || fields.required === true ? true : (fields.required ?? current.fields.required);
    current.fields = { ...current.fields, ...stripUndefined(fields) };
    if (required !== undefined) current.fields.required = required;
    current.sources.push(source);
  };

  const patterns: PatternRule[] = [];
  if (layers.profile) {
    const p = layers.profile;
    for (const v of p.variables) {
      const { name, section, ...fields } = v;
      apply(name, fields, { kind: 'profile', profile: p.id, seed: p.source.seed, section });
    }
    for (const pat of p.patterns) {
      const { section, ...rest } = pat;
      patterns.push({ ...rest, sources: [{ kind: 'profile', profile: p.id, seed: p.source.seed, section }] });
    }
  }
  if (layers.example) {
    for (const [name, v] of layers.example.rules.variables)
      apply(name, v.fields, { kind: 'example', file: layers.example.file, line: v.line });
  }
  if (layers.schema) {
    for (const [name, v] of layers.schema.variables) {
      const source: RuleSource =
        v.line !== undefined ? { kind: 'schema', file: layers.schema.file, line: v.line } : { kind: 'schema', file: layers.schema.file };
      apply(name, v.fields, source);
    }
  }

  const byName = new Map<string, VarRule>();
  for (const [name, { fields, sources }] of merged) {
    byName.set(name, { ...fields, name, required: fields.required === true, type: fields.type ?? 'string', sources });
  }
  const rules: RuleSet = {
    byName,
    patterns,
    example: layers.example ? { file: layers.example.file, names: new Set(layers.example.rules.variables.keys()) } : null,
    hasRules: layers.profile !== undefined || layers.schema !== undefined,
  };
  if (layers.profile) rules.profile = layers.profile.id;
  return { rules, conflicts };
}

function stripUndefined(fields: RuleFields): RuleFields {
  const out: RuleFields = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The rule for a name: exact first, then the first pattern that matches the whole name. */
export function ruleFor(rules: RuleSet, name: string): VarRule | PatternRule | undefined {
  const exact = rules.byName.get(name);
  if (exact) return exact;
  return rules.patterns.find((p) => new RegExp(`^(?:${p.namePattern})$`).test(name));
}
