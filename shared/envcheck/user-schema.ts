// Reads a user's keyturn-env.json (`--schema FILE`); its published JSON Schema is schemas/keyturn-env.schema.json.
import { z } from 'zod';
import { KeyturnError } from '../domain/errors.js';
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
    variables: z.record(z.string().regex(ENV_NAME_PATTERN), variableSchema),
  })
  .strict();

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

function lineOfName(text: string, name: string): number | undefined {
  const at = text.indexOf(`${JSON.stringify(name)}`);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = 0; i < at; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Consistency the JSON Schema states too (if/then), checked here for one clear sentence each. */
function crossCheck(file: string, name: string, fields: RuleFields): void {
  if (fields.type === 'enum' && !fields.values) throw invalid(file, `variables.${name} has type enum but no "values"`);
  if (fields.min !== undefined && fields.max !== undefined && fields.min > fields.max)
    throw invalid(file, `variables.${name} has min greater than max`);
  if (fields.pattern !== undefined) {
    try {
      new RegExp(fields.pattern, 'u');
    } catch {
      throw invalid(file, `variables.${name}.pattern is not a valid regular expression`);
    }
  }
}

/** Parse and validate a schema file's text; throws invalid-input (exit 2) with the first problem. */
export function parseUserSchema(text: string, file: string): UserSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const where = error instanceof SyntaxError ? ` (${error.message.replace(/^JSON\.parse: /, '').slice(0, 120)})` : '';
    throw invalid(file, `it is not JSON${where}`);
  }
  const parsed = userSchemaFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the top level';
    throw invalid(file, `${path}: ${issue.message}`);
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
