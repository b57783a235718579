// Reads a user's keyturn-env.json (`--schema FILE`); its published JSON Schema is schemas/keyturn-env.schema.json.
import { z } from 'zod';
import { KeyturnError } from '../domain/errors.js';
import { describeName, looksLikeKeyMaterial } from './shown-name.js';
import { VAR_TYPES, type RuleFields } from './types.js';

export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const variableSchema = z
  .object({
    required: z.boolean().optional(),
    type: z.enum(VAR_TYPES).optional(),
    description: z.string().max(2000).optional(),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    schemes: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*$/))
      .min(1)
      .optional(),
    schemeNote: z.string().max(500).optional(),
    pattern: z.string().min(1).max(1000).optional(),
    values: z.array(z.string()).min(1).optional(),
    default: z.string().optional(),
    secret: z.boolean().optional(),
  })
  .strict();

export const userSchemaFileSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    variables: z.record(
      z
        .string()
        .regex(ENV_NAME_PATTERN)
        .refine((name) => !looksLikeKeyMaterial(name), 'looks like key material, not a variable name'),
      variableSchema,
    ),
  })
  .strict();

/** Field names of the schema format: safe to repeat in an error, unlike anything else the file holds. */
const FORMAT_FIELDS = new Set(['$schema', 'description', 'variables', ...Object.keys(variableSchema.shape)]);

export interface SchemaVariable {
  fields: RuleFields;
  line?: number;
}

export interface UserSchema {
  file: string;
  variables: Map<string, SchemaVariable>;
}

function invalid(file: string, why: string): KeyturnError {
  return new KeyturnError(
    'invalid-input',
    `${file} is not a valid Keyturn schema: ${why}. See schemas/keyturn-env.schema.json for the format.`,
  );
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function lineOfName(text: string, name: string): number | undefined {
  const at = text.indexOf(`${JSON.stringify(name)}`);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = 0; i < at; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Consistency the JSON Schema states too (if/then), checked here for one clear sentence each. */
function crossCheck(file: string, name: string, fields: RuleFields): void {
  if (fields.type === 'enum' && !fields.values) throw invalid(file, `variables.${nameText(name)} has type enum but no "values"`);
  if (fields.min !== undefined && fields.max !== undefined && fields.min > fields.max)
    throw invalid(file, `variables.${nameText(name)} has min greater than max`);
  if (fields.pattern !== undefined) {
    try {
      new RegExp(fields.pattern, 'u');
    } catch {
      throw invalid(file, `variables.${nameText(name)}.pattern is not a valid regular expression`);
    }
  }
}

/** A variable name as errors show it: itself when it may be shown, else its length and character classes. */
function nameText(name: string): string {
  return ENV_NAME_PATTERN.test(name) && !looksLikeKeyMaterial(name) ? name : `<a name of ${describeName(name)}>`;
}

/** Where a zod issue is, naming only the format's own fields, array indexes and names that may be shown. */
function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level';
  return path
    .map((part, i) =>
      typeof part === 'number' || (FORMAT_FIELDS.has(String(part)) && path[i - 1] !== 'variables') ? String(part) : nameText(String(part)),
    )
    .join('.');
}

/** The problem in words of the format: never the text zod would quote from the file (unknown keys, values). */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.filter((k) => /^[A-Za-z$][A-Za-z0-9]{0,31}$/.test(k) && !looksLikeKeyMaterial(k));
    const what = shown.length === issue.keys.length ? shown.map((k) => `"${k}"`).join(', ') : `${issue.keys.length} field(s)`;
    return `${what} not part of the format (allowed: ${issue.path.length === 0 ? '$schema, description, variables' : Object.keys(variableSchema.shape).join(', ')})`;
  }
  if (issue.code === 'invalid_key')
    return issue.issues.some((i) => i.code === 'custom')
      ? 'looks like key material, not a variable name'
      : 'is not a variable name (letters, digits, _, . and -, not starting with a digit)';
  return issue.message;
}

/** Parse and validate a schema file's text; throws invalid-input (exit 2) with the first problem, quoting none of it. */
export function parseUserSchema(text: string, file: string): UserSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the problem, which may be a secret if the wrong file was named.
    const at = error instanceof SyntaxError ? /at position (\d+)/.exec(error.message) : null;
    throw invalid(file, `it is not JSON${at ? ` (${lineAndColumn(text, Number(at[1]))})` : ''}`);
  }
  const parsed = userSchemaFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(file, `${issuePath(issue.path)}: ${issueText(issue)}`);
  }
  const variables = new Map<string, SchemaVariable>();
  for (const [name, raw] of Object.entries(parsed.data.variables)) {
    const fields: RuleFields = {};
    for (const [k, v] of Object.entries(raw)) if (v !== undefined) (fields as Record<string, unknown>)[k] = v;
    crossCheck(file, name, fields);
    const entry: SchemaVariable = { fields };
    const line = lineOfName(text, name);
    if (line !== undefined) entry.line = line;
    variables.set(name, entry);
  }
  return { file, variables };
}
