// Requirements written as comments in .env.example (`# required, type: fernet-key`), read into rule fields.
import type { ParsedEnv } from '../formats/env-file.js';
import { splitStrays } from './shown-name.js';
import { isVarType, VAR_TYPES, type RuleFields } from './types.js';
import { describeValue } from './value-mask.js';

export interface ExampleVariable {
  fields: RuleFields;
  line: number;
}

export interface AnnotationProblem {
  line: number;
  variable: string;
  message: string;
}

export interface ExampleRules {
  variables: Map<string, ExampleVariable>;
  problems: AnnotationProblem[];
}

const FLAGS = new Set(['required', 'optional', 'secret']);
const KEYS = new Set(['type', 'min', 'max', 'schemes', 'values', 'pattern', 'default']);
const LIST_KEYS = new Set(['schemes', 'values']);

type Parsed = { fields: RuleFields; problems: string[] } | null;

/**
 * An annotation is a comment made only of tokens: `required`, `optional`, `secret`, `key: value` pairs, separated by
 * commas or semicolons (`schemes:` and `values:` take the comma-separated items after them). Prose is not one.
 */
export function parseAnnotation(comment: string): Parsed {
  let text = comment.trim();
  text = text.replace(/^(?:@keyturn|keyturn:)\s*/i, '');
  if (text === '') return null;
  const patternAt = /(?:^|[,;]\s*)pattern\s*[:=]\s*/i.exec(text);
  let pattern: string | undefined;
  if (patternAt) {
    pattern = text.slice(patternAt.index + patternAt[0].length).trim();
    text = text.slice(0, patternAt.index);
  }
  const pieces = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const fields: RuleFields = {};
  const problems: string[] = [];
  let listKey: 'schemes' | 'values' | null = null;
  let first = true;
  for (const piece of pieces) {
    const lower = piece.toLowerCase();
    const kv = /^([A-Za-z]+)\s*[:=]\s*(.*)$/.exec(piece);
    if (FLAGS.has(lower)) {
      if (lower === 'secret') fields.secret = true;
      else fields.required = lower === 'required';
      listKey = null;
    } else if (kv && KEYS.has(kv[1]!.toLowerCase())) {
      const key = kv[1]!.toLowerCase();
      const value = kv[2]!.trim();
      listKey = null;
      if (key === 'type') {
        if (isVarType(value)) fields.type = value;
        else problems.push(`"type:" names no type Keyturn knows (use one of ${VAR_TYPES.join(', ')})`);
      } else if (key === 'min' || key === 'max') {
        if (/^\d+$/.test(value)) fields[key] = Number(value);
        else problems.push(`"${key}" needs a whole number`);
      } else if (LIST_KEYS.has(key)) {
        const items = value.split(/[|\s]+/).filter((v) => v !== '');
        if (key === 'schemes') fields.schemes = items;
        else fields.values = items;
        listKey = key as 'schemes' | 'values';
      } else if (key === 'default') {
        fields.default = value;
      }
    } else if (listKey !== null && !piece.includes(':')) {
      const list = listKey === 'schemes' ? (fields.schemes ??= []) : (fields.values ??= []);
      list.push(...piece.split(/[|\s]+/).filter((v) => v !== ''));
    } else if (first) {
      return null;
    } else {
      // Described, not quoted: a comment is text from the user's file.
      problems.push(
        `an item of ${describeValue(piece)} is not an annotation Keyturn knows (use required, optional, secret, type:, min:, max:, schemes:, values:, pattern:, default:)`,
      );
    }
    first = false;
  }
  if (first && pattern === undefined) return null;
  if (pattern !== undefined) {
    try {
      new RegExp(pattern, 'u');
      fields.pattern = pattern;
    } catch {
      problems.push('"pattern:" is not a valid regular expression');
    }
  }
  if (fields.type === 'enum' && !fields.values) problems.push('type enum needs "values:"');
  return { fields, problems };
}

/** Every variable an example declares, with the annotations in the comment lines right above it and on its line. */
export function readExampleRules(parsed: ParsedEnv): ExampleRules {
  const commentsByLine = new Map(parsed.comments.map((c) => [c.line, c.text]));
  const variables = new Map<string, ExampleVariable>();
  const problems: AnnotationProblem[] = [];
  // Only names that may be shown declare variables: an example's stray lines are reported by the check, not used.
  for (const entry of splitStrays(parsed.entries, null, { bareNames: true }).variables) {
    const texts: { line: number; text: string }[] = [];
    for (let line = entry.line - 1; commentsByLine.has(line); line -= 1) texts.unshift({ line, text: commentsByLine.get(line)! });
    if (entry.comment !== undefined) texts.push({ line: entry.line, text: entry.comment });
    const fields: RuleFields = {};
    for (const t of texts) {
      const parsedAnnotation = parseAnnotation(t.text);
      if (!parsedAnnotation) continue;
      Object.assign(fields, parsedAnnotation.fields);
      for (const message of parsedAnnotation.problems) problems.push({ line: t.line, variable: entry.key, message });
    }
    variables.set(entry.key, { fields, line: entry.line });
  }
  return { variables, problems };
}
