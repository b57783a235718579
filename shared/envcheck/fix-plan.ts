// Plans and applies `env fix` edits on the raw text: only the filled or added lines change, every other byte stays.
import { KeyturnError } from '../domain/errors.js';
import { checkFernetKey } from '../formats/fernet-format.js';
import type { EnvEntry, ParsedEnv } from '../formats/env-file.js';
import type { EnvFinding, GeneratedValueKind } from './report.js';
import { ruleFor, type RuleSet } from './rule-set.js';
import { splitStrays } from './shown-name.js';
import { isSecretRule, SECRET_TYPES, type PatternRule, type VarRule, type VarType } from './types.js';
import { JWT_SECRET_MIN_BYTES } from './value-types.js';

/** What to ask the key generator for (electron/node/crypto/generate-key.ts options). */
export interface GenerateSpec {
  kind: GeneratedValueKind;
  bytes?: number;
}

export interface FixStep {
  variable: string;
  /** append a new line, fill an existing empty `NAME=` (or bare `NAME`), or replace an existing value. */
  how: 'appended' | 'filled' | 'replaced';
  entry?: EnvEntry;
  generate?: GenerateSpec;
  /** The rule's documented default, written instead of a generated value. */
  defaultValue?: string;
  description?: string;
}

export interface FixPlan {
  steps: FixStep[];
  unfilled: { variable: string; reason: string }[];
}

type Rule = VarRule | PatternRule;

/** A base64url text of n random bytes is ceil(4n/3) characters; ask for enough bytes to reach `chars`. */
function bytesForChars(chars: number): number {
  return Math.ceil((chars * 3) / 4);
}

export function generateSpecFor(type: VarType, min: number | undefined): GenerateSpec | null {
  switch (type) {
    case 'fernet-key':
    case 'fernet-keys':
      return { kind: 'fernet' };
    case 'jwt-secret':
      return { kind: 'jwt-hmac', bytes: Math.max(JWT_SECRET_MIN_BYTES, bytesForChars(min ?? 0)) };
    case 'secret':
      return { kind: 'secret', bytes: Math.max(32, bytesForChars(min ?? 0)) };
    default:
      return null;
  }
}

function specForRule(rule: Rule | undefined): GenerateSpec | null {
  if (!rule) return null;
  return generateSpecFor(rule.type, rule.min);
}

/**
 * Whether `env fix` (with the rules the check used) acts on this finding: a value check offers to regenerate, or a
 * required or secret variable that is missing or empty and that fix can generate or fill with its default. The UI
 * offers its "Fix" button from this, and a test holds it equal to what fix really changes.
 */
export function fixHandles(finding: EnvFinding): boolean {
  const action = finding.fix?.action;
  if (action === 'regenerate') return true;
  if (finding.code !== 'missing-required' && finding.code !== 'empty-value') return false;
  return action === 'generate' || (action === 'set-default' && finding.severity === 'error');
}

export interface PlanOptions {
  regenerate: string[];
  withDefaults: boolean;
}

export function planFix(parsed: ParsedEnv, rules: RuleSet, options: PlanOptions): FixPlan {
  const last = new Map<string, EnvEntry>();
  // Stray lines (not variable names) are never edited or named; `env check` reports them.
  for (const entry of splitStrays(parsed.entries, rules).variables) last.set(entry.key, entry);
  const steps: FixStep[] = [];
  const unfilled: FixPlan['unfilled'] = [];
  const planned = new Set<string>();
  const add = (step: FixStep): void => {
    steps.push(step);
    planned.add(step.variable);
  };

  for (const name of options.regenerate) {
    const entry = last.get(name);
    const rule = ruleFor(rules, name);
    if (rule && !SECRET_TYPES.has(rule.type)) {
      throw new KeyturnError(
        'invalid-input',
        `${name} is a ${rule.type}, not a secret; Keyturn regenerates only secrets (fernet-key, fernet-keys, jwt-secret, secret). Edit it by hand.`,
      );
    }
    // Without a rule, keep a Fernet key a Fernet key; anything else becomes a 32-byte url-safe secret.
    const spec =
      specForRule(rule) ??
      (entry?.value && checkFernetKey(entry.value).ok ? { kind: 'fernet' as const } : { kind: 'secret' as const, bytes: 32 });
    const step: FixStep = entry
      ? { variable: name, how: 'replaced', entry, generate: spec }
      : { variable: name, how: 'appended', generate: spec };
    if (rule?.description) step.description = rule.description;
    add(step);
  }

  for (const entry of last.values()) {
    if (planned.has(entry.key) || (entry.value !== null && entry.value.trim() !== '')) continue;
    const rule = ruleFor(rules, entry.key);
    if (!rule) continue;
    const spec = specForRule(rule);
    if (spec && (rule.required || isSecretRule(rule))) add({ variable: entry.key, how: 'filled', entry, generate: spec });
    else if (rule.default !== undefined && rule.required) add({ variable: entry.key, how: 'filled', entry, defaultValue: rule.default });
    else if (rule.required)
      unfilled.push({
        variable: entry.key,
        reason: `${entry.key} is required and empty, and Keyturn cannot make up a ${rule.type}; set it by hand${rule.description ? ` (${rule.description})` : ''}.`,
      });
  }

  for (const rule of rules.byName.values()) {
    if (planned.has(rule.name) || last.has(rule.name)) continue;
    const spec = specForRule(rule);
    const base: FixStep = { variable: rule.name, how: 'appended' };
    if (rule.description) base.description = rule.description;
    if (rule.required && spec) add({ ...base, generate: spec });
    else if (rule.default !== undefined && (rule.required || options.withDefaults)) add({ ...base, defaultValue: rule.default });
    else if (rule.required)
      unfilled.push({
        variable: rule.name,
        reason: `${rule.name} is required, and Keyturn cannot make up a ${rule.type}; add it by hand${rule.description ? ` (${rule.description})` : ''}.`,
      });
  }
  for (const pattern of rules.patterns) {
    const re = new RegExp(`^(?:${pattern.namePattern})$`);
    if (pattern.required && ![...last.keys()].some((k) => re.test(k))) {
      unfilled.push({
        variable: pattern.label,
        reason: `A ${pattern.label} variable is required; add one by hand${pattern.description ? ` (${pattern.description})` : ''}.`,
      });
    }
  }
  return { steps, unfilled };
}

export interface AppliedFix {
  text: string;
  /** 1-based line of each changed variable in the new text. */
  lines: Map<string, number>;
}

/** A value as both parsers read it back unchanged: bare when safe, else single-quoted, else double-quoted. */
export function formatValue(value: string): string {
  if (value !== '' && !/[\s#'"`\\$]/.test(value)) return value;
  if (!/['\\\r\n]/.test(value)) return `'${value}'`;
  throw new KeyturnError(
    'invalid-input',
    'A default value holds quotes, backslashes or line breaks that python-dotenv and npm dotenv read differently; set it by hand.',
  );
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  const breaks = text.match(/\r\n|\n|\r/g)?.length ?? 0;
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13 ? breaks : breaks + 1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line += 1;
  }
  return line;
}

/**
 * Writes the values into the text. In-place edits touch only the value's span (quotes kept); new variables go after
 * the last byte, under one comment line, with the file's own line ending.
 */
export function applyFix(text: string, parsed: ParsedEnv, values: { step: FixStep; value: string }[], header: string): AppliedFix {
  const inPlace = values.filter((v) => v.step.entry).sort((a, b) => b.step.entry!.valueStart - a.step.entry!.valueStart);
  let out = text;
  const offsets = new Map<string, number>();
  for (const { step, value } of inPlace) {
    const e = step.entry!;
    let start = e.valueStart;
    let end = e.valueEnd;
    let insert = formatValue(value);
    if (e.value === null) insert = `=${insert}`;
    else if (e.quote !== 'none') {
      if (insert !== value)
        throw new KeyturnError(
          'invalid-input',
          `The value for ${step.variable} would need different quoting than the line has; set it by hand.`,
        );
      start += 1;
      end -= 1;
    }
    out = out.slice(0, start) + insert + out.slice(end);
    const delta = insert.length - (end - start);
    for (const [k, o] of offsets) if (o > start) offsets.set(k, o + delta);
    offsets.set(step.variable, e.valueStart);
  }
  const lines = new Map<string, number>();
  for (const [k, o] of offsets) lines.set(k, lineAt(out, o));

  const appended = values.filter((v) => !v.step.entry);
  if (appended.length > 0) {
    const eol = parsed.eol;
    let tail = out.length > 0 && !parsed.endsWithNewline ? eol : '';
    tail += `# ${header}${eol}`;
    let line = countLines(out) + 2;
    for (const { step, value } of appended) {
      if (step.description) {
        tail += `# ${step.description.replace(/[\r\n]+/g, ' ')}${eol}`;
        line += 1;
      }
      tail += `${step.variable}=${formatValue(value)}${eol}`;
      lines.set(step.variable, line);
      line += 1;
    }
    out += tail;
  }
  return { text: out, lines };
}
