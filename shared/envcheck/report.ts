// Results of `env check` and `env fix` as the CLI, the web host and the renderer see them: never a secret value.
import type { FindingCode, Severity } from './codes.js';
import type { VarType } from './types.js';

export type { FindingCode, Severity } from './codes.js';

/** What a user (or the UI's buttons) can do about a finding. */
export type FixAction =
  'generate' | 'regenerate' | 'add' | 'set-default' | 'edit' | 'remove-line' | 'quote' | 'update-example' | 'chmod' | 'untrack';

export interface EnvFindingFix {
  action: FixAction;
  /** A shell command that performs the fix, when one exists. */
  command?: string;
  /** The type of value to generate, for generate and regenerate. */
  type?: VarType;
}

export interface EnvFinding {
  code: FindingCode;
  severity: Severity;
  variable?: string;
  line?: number;
  /** A sentence saying what is wrong and how to fix it; at most a value's length and character classes. */
  message: string;
  fix?: EnvFindingFix;
}

/** `env` files are checked; `example` and `schema` files carry rules (their findings are about the rules). */
export type EnvFileRole = 'env' | 'example' | 'schema';

export interface EnvFileReport {
  path: string;
  role: EnvFileRole;
  findings: EnvFinding[];
}

export interface EnvSummary {
  errors: number;
  warnings: number;
  infos: number;
}

export interface EnvReport {
  files: EnvFileReport[];
  summary: EnvSummary;
  /** True when an error was found, or a warning with `strict`: the CLI exits 1. */
  failed: boolean;
  strict: boolean;
  profile?: string;
}

export type GeneratedValueKind = 'fernet' | 'secret' | 'jwt-hmac';

export interface EnvFixChange {
  variable: string;
  /** How the value was made: a generated key of this kind, or the rule's documented default. */
  kind: GeneratedValueKind | 'default';
  line: number;
  /** `appended` at the end of the file, or `filled` into an existing empty `NAME=` line. */
  how: 'appended' | 'filled' | 'replaced';
}

export interface EnvFixResult {
  file: string;
  /** Path of the copy of the original bytes; null when the file was created or nothing was written. */
  backup: string | null;
  created: boolean;
  dryRun: boolean;
  /** False when there was nothing to change (no file written, no backup made). */
  changed: boolean;
  added: EnvFixChange[];
  regenerated: EnvFixChange[];
  /** Keychain entries written for generated values (`storePrefix`). */
  stored: { variable: string; name: string }[];
  /** Problems `fix` cannot solve by itself (e.g. a required DATABASE_URL), with what to do. */
  unfilled: { variable: string; reason: string }[];
}

export interface EnvCheckInput {
  paths: string[];
  profile?: string;
  schemaFile?: string;
  example?: string;
  strict?: boolean;
}

export interface EnvFixInput {
  file: string;
  profile?: string;
  schemaFile?: string;
  /** Variables whose existing values are replaced by fresh ones. */
  regenerate?: string[];
  /** Store each generated value in the keychain as `<prefix><var-name-in-kebab-case>`. */
  storePrefix?: string;
  /** Also write optional variables that have a documented default. */
  withDefaults?: boolean;
  dryRun?: boolean;
}

export function summarize(files: EnvFileReport[]): EnvSummary {
  const summary: EnvSummary = { errors: 0, warnings: 0, infos: 0 };
  for (const file of files) {
    for (const f of file.findings) {
      if (f.severity === 'error') summary.errors += 1;
      else if (f.severity === 'warning') summary.warnings += 1;
      else summary.infos += 1;
    }
  }
  return summary;
}

export function buildReport(files: EnvFileReport[], options: { strict?: boolean; profile?: string } = {}): EnvReport {
  const summary = summarize(files);
  const strict = options.strict === true;
  const report: EnvReport = { files, summary, failed: summary.errors > 0 || (strict && summary.warnings > 0), strict };
  if (options.profile) report.profile = options.profile;
  return report;
}
