// The rule engine for one .env file's text: syntax, parser disagreement, duplicates, values, reuse, requirements, drift.
import { parseEnv, type EnvEntry, type ParsedEnv } from '../formats/env-file.js';
import { parseLikeNpmDotenv } from '../formats/env-file-npm.js';
import { FINDING_CODES, type FindingCode } from './codes.js';
import { readExampleRules } from './example-annotations.js';
import { findPublicExample } from './public-examples.js';
import type { EnvFinding, EnvFindingFix } from './report.js';
import { describeSource, type RuleSet } from './rule-set.js';
import { isDefaultSecret, placeholderReason } from './strength.js';
import {
  isSecretRule,
  looksSecretName,
  looksSelfMadeSecretName,
  SECRET_TYPES,
  type PatternRule,
  type VarRule,
  type VarType,
} from './types.js';
import { describeName, shownKey, splitStrays } from './shown-name.js';
import { describeValue } from './value-mask.js';
import { checkValue } from './value-types.js';

export interface CheckTextInput {
  text: string;
  /** `example` files (.env.example and friends) hold placeholders by design: only their syntax and annotations are checked. */
  role: 'env' | 'example';
  rules: RuleSet;
  /** The command that fixes this file, e.g. `keyturn env fix .env --profile resumerag-phase2`, quoted in messages. */
  fixCommand?: string;
  /** False for text `env fix` does not edit (a shell script's exports): no fix command is suggested. */
  fixable?: boolean;
}

export interface CheckTextResult {
  parsed: ParsedEnv;
  findings: EnvFinding[];
}

type Rule = VarRule | PatternRule;

function finding(
  code: FindingCode,
  message: string,
  extra: { variable?: string; line?: number; fix?: EnvFindingFix; severity?: EnvFinding['severity'] } = {},
): EnvFinding {
  const f: EnvFinding = { code, severity: extra.severity ?? FINDING_CODES[code].severity, message };
  if (extra.variable !== undefined) f.variable = extra.variable;
  if (extra.line !== undefined) f.line = extra.line;
  if (extra.fix !== undefined) f.fix = extra.fix;
  return f;
}

function ambiguityCause(entry: EnvEntry, npmValue: string | undefined): string {
  const value = entry.value ?? '';
  if (npmValue === undefined) return "npm dotenv skips this line (it reads names of letters, digits, '_', '.' and '-' only)";
  if (entry.quote === 'none' && value.startsWith('`')) return 'npm dotenv strips the backticks, python-dotenv keeps them';
  if (entry.quote === 'none' && value.includes('#')) return "npm dotenv cuts the value at '#', python-dotenv only at ' #'";
  if (entry.quote === 'none' && value === '') return 'the two parsers read the empty value differently';
  if (entry.quote === 'double') return 'python-dotenv decodes more backslash escapes in double quotes than npm dotenv (only \\n and \\r)';
  if (entry.quote === 'single') return "python-dotenv decodes \\\\ and \\' in single quotes, npm dotenv keeps them";
  return 'the two parsers yield different values';
}

/** Offer to generate only what `env fix` and the Generate screen can make: a secret type, never a URL or a password. */
function generateOrEdit(rule: Rule | undefined): EnvFindingFix {
  if (rule && SECRET_TYPES.has(rule.type)) return { action: 'generate', type: rule.type };
  if (rule?.default !== undefined) return { action: 'set-default' };
  return { action: 'add' };
}

/** The `keyturn generate` kind that makes a value of each secret type. */
const GENERATE_KIND: Record<VarType, string> = {
  'fernet-key': 'fernet',
  'fernet-keys': 'fernet',
  'jwt-secret': 'jwt-hmac',
  secret: 'secret',
  string: 'secret',
  url: 'secret',
  int: 'secret',
  bool: 'secret',
  enum: 'secret',
  email: 'secret',
  duration: 'secret',
};

/** Whether `env fix` makes this variable's value itself: by its rule's type, or without a rule by a self-made key's name. */
function regenerable(rule: Rule | undefined, key: string): boolean {
  return rule ? SECRET_TYPES.has(rule.type) : looksSelfMadeSecretName(key);
}

/** Whether `env fix` writes a missing or empty required variable: a secret it generates, or a documented default. */
function fixFills(rule: Rule | undefined): boolean {
  return rule !== undefined && (SECRET_TYPES.has(rule.type) || rule.default !== undefined);
}

function secretTypeOf(rule: Rule | undefined): VarType {
  return rule && SECRET_TYPES.has(rule.type) ? rule.type : 'secret';
}

function hasCredentials(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/.test(value);
}

export function checkEnvText(input: CheckTextInput): CheckTextResult {
  const parsed = parseEnv(input.text);
  const findings: EnvFinding[] = [];
  const { rules } = input;
  const patternRes = rules.patterns.map((p) => ({ rule: p, re: new RegExp(`^(?:${p.namePattern})$`) }));
  const ruleOf = (name: string): Rule | undefined => rules.byName.get(name) ?? patternRes.find((p) => p.re.test(name))?.rule;
  const fixCmd = input.fixCommand ?? 'keyturn env fix FILE';
  const fixable = input.fixable !== false;
  const fills = (rule: Rule | undefined): boolean => fixable && fixFills(rule);
  const canRegenerate = (rule: Rule | undefined, key: string): boolean => fixable && regenerable(rule, key);

  for (const p of parsed.problems) findings.push(finding('syntax-error', `Line ${p.line}: ${p.message}.`, { line: p.line }));

  // Lines whose "name" is not a variable name (a private key's base64 lines, a pasted token) are described by line,
  // length and character classes, and take no further part: nothing read from them may reach a finding.
  const { variables, strays } = splitStrays(parsed.entries, rules);
  for (const stray of strays) findings.push(strayFinding(stray));

  // Last assignment wins in both parsers; earlier ones are dead text.
  const last = new Map<string, EnvEntry>();
  const earlier = new Map<string, EnvEntry[]>();
  for (const entry of variables) {
    const prev = last.get(entry.key);
    if (prev) earlier.set(entry.key, [...(earlier.get(entry.key) ?? []), prev]);
    last.set(entry.key, entry);
  }
  const shown = shownKey;
  for (const [key, olds] of earlier) {
    const winner = last.get(key)!;
    for (const old of olds) {
      findings.push(
        finding(
          'duplicate-key',
          `${shown(key)} is set again on line ${winner.line}; python-dotenv and npm dotenv both use the last one, so this line is ignored. Remove it.`,
          {
            variable: shown(key),
            line: old.line,
            fix: { action: 'remove-line' },
          },
        ),
      );
    }
  }

  const npm = parseLikeNpmDotenv(input.text);
  if (npm) {
    for (const entry of last.values()) {
      if (entry.value === null || entry.key.startsWith('\ufeff')) continue;
      const npmValue = npm.get(entry.key);
      if (npmValue === entry.value) continue;
      findings.push(
        finding(
          'ambiguous-syntax',
          `${entry.key} is read differently by python-dotenv and npm dotenv: ${ambiguityCause(entry, npmValue)}. Use single quotes without backslashes, or plain NAME=value.`,
          {
            variable: entry.key,
            line: entry.line,
            fix: { action: 'quote' },
          },
        ),
      );
    }
  }

  if (input.role === 'example') {
    for (const p of readExampleRules(parsed).problems) {
      findings.push(
        finding('invalid-annotation', `${p.variable}: ${p.message}; the annotation is ignored.`, {
          variable: p.variable,
          line: p.line,
          fix: { action: 'edit' },
        }),
      );
    }
    return { parsed, findings: order(findings) };
  }

  const secretValues = new Map<string, EnvEntry[]>();
  for (const entry of last.values()) {
    const key = shown(entry.key);
    const rule = ruleOf(key);
    const secret = rule ? isSecretRule(rule) : looksSecretName(key);
    const required = rule?.required === true;
    const value = entry.value;
    if (value === null) {
      findings.push(
        finding(
          'empty-value',
          `${key} has no '=', so neither python-dotenv nor npm dotenv sets it. Write ${key}=value or remove the line.`,
          {
            variable: key,
            line: entry.line,
            severity: required ? 'error' : 'warning',
            fix: generateOrEdit(rule),
          },
        ),
      );
      continue;
    }
    if (value.trim() === '') {
      const then = required
        ? fills(rule)
          ? `Set it, e.g. with \`${fixCmd}\`.`
          : `Set it by hand${rule?.description ? ` (${rule.description})` : ''}.`
        : rule?.default !== undefined
          ? `Remove the line to get the default ${rule.default}, or set a value.`
          : 'Set a value or remove the line.';
      findings.push(
        finding('empty-value', `${key} is set to an empty value. ${then}`, {
          variable: key,
          line: entry.line,
          severity: required ? 'error' : 'warning',
          fix: generateOrEdit(rule),
        }),
      );
      continue;
    }
    if (entry.interpolated) {
      findings.push(
        finding(
          'interpolated-value',
          `${key} uses \${...}, which python-dotenv expands when it loads the file; Keyturn checks the variables it refers to instead.`,
          { variable: key, line: entry.line },
        ),
      );
      continue;
    }
    if (entry.quote === 'none' && /^-----BEGIN [A-Z0-9 ]+-----$/.test(value.trim())) {
      findings.push(
        finding(
          'invalid-format',
          `${key} holds only the first line of a PEM block: an unquoted value ends at the line break, so the key's other lines are not part of it. Put the whole key in double quotes (line breaks kept), or write it on one line with \\n.`,
          { variable: key, line: entry.line, severity: 'error', fix: { action: 'quote' } },
        ),
      );
      continue;
    }
    const regenerates = canRegenerate(rule, key);
    const regenerate: EnvFindingFix = regenerates
      ? { action: 'regenerate', type: secretTypeOf(rule), command: `${fixCmd} --regenerate ${key}` }
      : { action: 'edit' };
    const published = findPublicExample(value);
    if (published) {
      // Every published value is a secret (a key, or a URL with its password): an error with or without a profile.
      findings.push(
        finding(
          'public-example',
          `${key} is the example value printed in ${published.source}; anyone can read it, so treat it as compromised and ${
            regenerates ? 'generate a fresh one' : hasCredentials(value) ? 'change the password at the server, then here' : 'replace it'
          }.`,
          {
            variable: key,
            line: entry.line,
            severity: 'error',
            fix: regenerate,
          },
        ),
      );
      continue;
    }
    const placeholder = placeholderReason(value);
    if (placeholder || (!rule && secret && isDefaultSecret(value))) {
      const why = placeholder ?? 'is a well-known default, not a secret';
      findings.push(
        finding(
          'weak-value',
          `${key} ${why} (value: ${describeValue(value)}). Replace it with a real value${
            regenerates
              ? `, e.g. with \`${fixCmd} --regenerate ${key}\``
              : regenerable(rule, key)
                ? `, e.g. one from \`keyturn generate ${GENERATE_KIND[secretTypeOf(rule)]}\``
                : secret
                  ? ' from where it is issued'
                  : ''
          }.`,
          {
            variable: key,
            line: entry.line,
            severity: secret || required ? 'error' : 'warning',
            fix: regenerate,
          },
        ),
      );
      continue;
    }
    if (rule) {
      const problem = checkValue({ ...rule, name: key }, value);
      if (problem) {
        const offered = problem.fix?.action === 'regenerate';
        const canFix = offered && fixable;
        const message = canFix ? `${problem.message} Run \`${fixCmd} --regenerate ${key}\` to replace it.` : problem.message;
        const f = finding(problem.code, message, { variable: key, line: entry.line, severity: problem.severity });
        if (problem.fix)
          f.fix = canFix ? { ...problem.fix, command: `${fixCmd} --regenerate ${key}` } : offered ? { action: 'edit' } : problem.fix;
        findings.push(f);
        continue;
      }
    }
    if (secret) secretValues.set(value, [...(secretValues.get(value) ?? []), entry]);
  }

  for (const entries of secretValues.values()) {
    if (entries.length < 2) continue;
    const [first, ...others] = entries;
    for (const other of others) {
      const name = shown(other.key);
      const regenerates = canRegenerate(ruleOf(name), name);
      findings.push(
        finding(
          'reused-secret',
          `${name} has the same value as ${shown(first!.key)} (line ${first!.line}); if one leaks, both fall. Give each its own value${regenerates ? ` with \`${fixCmd} --regenerate ${name}\`` : ''}.`,
          {
            variable: name,
            line: other.line,
            fix: regenerates
              ? { action: 'regenerate', type: secretTypeOf(ruleOf(name)), command: `${fixCmd} --regenerate ${name}` }
              : { action: 'edit' },
          },
        ),
      );
    }
  }

  const present = new Set([...last.keys()].map(shown));
  for (const rule of rules.byName.values()) {
    if (!rule.required || present.has(rule.name)) continue;
    findings.push(
      finding(
        'missing-required',
        `${rule.name} is required by ${describeSource(rule.sources[0]!)} but is not set. ${rule.description ? `(${rule.description}) ` : ''}${fills(rule) ? `Add it, e.g. with \`${fixCmd}\`.` : 'Add it by hand.'}`,
        {
          variable: rule.name,
          fix: generateOrEdit(rule),
        },
      ),
    );
  }
  for (const { rule, re } of patternRes) {
    if (!rule.required || [...present].some((n) => re.test(n))) continue;
    findings.push(
      finding(
        'missing-required',
        `No ${rule.label} variable is set, but ${describeSource(rule.sources[0]!)} requires one. ${rule.description ?? ''}`.trim(),
        { variable: rule.label, fix: { action: 'add' } },
      ),
    );
  }

  if (rules.example) {
    const ex = rules.example;
    for (const entry of last.values()) {
      const key = shown(entry.key);
      if (ex.names.has(key)) continue;
      findings.push(
        finding(
          'not-in-example',
          `${key} is set here but not declared in ${ex.file}; add \`${key}=\` (without its value) there so others know it exists.`,
          {
            variable: key,
            line: entry.line,
            fix: { action: 'update-example' },
          },
        ),
      );
    }
    for (const name of ex.names) {
      if (present.has(name) || rules.byName.get(name)?.required) continue;
      findings.push(
        finding(
          'missing-from-example',
          `${name} is declared in ${ex.file} but not set here; add it, or remove it from the example if it is obsolete.`,
          { variable: name, fix: generateOrEdit(rules.byName.get(name)) },
        ),
      );
    }
  } else if (rules.hasRules) {
    for (const entry of last.values()) {
      const key = shown(entry.key);
      if (ruleOf(key)) continue;
      findings.push(
        finding(
          'unknown-variable',
          `${key} is not described by ${rules.profile ? `profile ${rules.profile}` : 'the schema'}; check it for a typo, or add it to your schema file.`,
          { variable: key, line: entry.line },
        ),
      );
    }
  }
  return { parsed, findings: order(findings) };
}

function strayFinding(entry: EnvEntry): EnvFinding {
  const shape = describeName(shownKey(entry.key));
  const message =
    entry.value === null
      ? `Line ${entry.line} has no '=', so python-dotenv and npm dotenv set nothing from it (the line is ${shape}; Keyturn does not repeat it, as it may be part of a key or token). Write NAME=value, or remove the line.`
      : `Line ${entry.line} assigns to a name that is not a variable name (${shape}); Keyturn does not repeat or check it, as it may be part of a key or token. Use a name of letters, digits and _, or remove the line.`;
  return finding('not-a-variable', message, { line: entry.line, fix: { action: 'remove-line' } });
}

/** File-level findings first, then by line; stable otherwise. */
function order(findings: EnvFinding[]): EnvFinding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.line ?? 0) - (b.f.line ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}
