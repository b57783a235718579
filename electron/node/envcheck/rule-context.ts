// The rules in force for one `check` or `fix` run: profile, schema, --example or the .env.example beside each file.
import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readExampleRules, type ExampleRules } from '../../../shared/envcheck/example-annotations.js';
import { getProfile } from '../../../shared/envcheck/profiles.js';
import type { EnvFileReport, EnvFinding } from '../../../shared/envcheck/report.js';
import { buildRuleSet, type RuleLayers, type RuleSet } from '../../../shared/envcheck/rule-set.js';
import type { EnvProfile } from '../../../shared/envcheck/types.js';
import { parseUserSchema, type UserSchema } from '../../../shared/envcheck/user-schema.js';
import { parseEnv } from '../../../shared/formats/env-file.js';
import { isInside } from '../files/path-guard.js';
import { readEnvFile } from './read-env-file.js';

/** Example files looked for beside a checked file when no `--example` is given, in this order. */
const SIBLING_EXAMPLES = ['.env.example', '.env.sample', '.env.template', '.env.dist'];

export interface LoadedExample {
  path: string;
  rules: ExampleRules;
}

export function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export class RuleContext {
  profile?: EnvProfile;
  schema?: UserSchema;
  explicitExample?: LoadedExample;
  /** Findings about the rule files themselves (conflicts), by displayed path. */
  readonly ruleFileReports = new Map<string, EnvFileReport>();
  private readonly ruleSets = new Map<string, RuleSet>();
  private readonly siblingExamples = new Map<string, Promise<LoadedExample | null>>();

  private constructor(readonly cwd: string) {}

  /** Real paths of the folders asked for (and of the folders of files asked for): sibling examples stay inside them. */
  private roots: string[] = [];

  /** Reads the profile, schema and explicit example; each problem is an input error (exit 2). */
  static async load(
    cwd: string,
    input: { profile?: string; schemaFile?: string; example?: string; paths?: string[]; file?: string },
  ): Promise<RuleContext> {
    const ctx = new RuleContext(cwd);
    for (const given of [...(input.paths ?? []), ...(input.file !== undefined ? [input.file] : [])]) {
      const full = resolve(cwd, given);
      const info = await stat(full).catch(() => null);
      const folder = info?.isDirectory() ? full : dirname(full);
      const real = await realpath(folder).catch(() => null);
      if (real !== null) ctx.roots.push(real);
    }
    if (input.profile !== undefined) ctx.profile = getProfile(input.profile);
    if (input.schemaFile !== undefined) {
      const path = resolve(cwd, input.schemaFile);
      ctx.schema = parseUserSchema((await readEnvFile(path, input.schemaFile)).text, ctx.display(path));
    }
    if (input.example !== undefined) {
      const path = resolve(cwd, input.example);
      ctx.explicitExample = { path, rules: readExampleRules(parseEnv((await readEnvFile(path, input.example)).text)) };
    }
    return ctx;
  }

  /** Paths under the working folder are shown relative to it (as SARIF wants), others absolute. */
  display(path: string): string {
    const rel = relative(this.cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
  }

  /** The command that fixes a file under these rules, quoted in findings. */
  fixCommand(shown: string): string {
    const parts = ['keyturn env fix', shellQuote(shown)];
    if (this.profile) parts.push('--profile', this.profile.id);
    if (this.schema) parts.push('--schema', shellQuote(this.schema.file));
    return parts.join(' ');
  }

  exampleFor(file: string): Promise<LoadedExample | null> {
    if (this.explicitExample) return Promise.resolve(this.explicitExample);
    const dir = dirname(file);
    // The promise is cached, so files of one folder read concurrently share one lookup.
    let pending = this.siblingExamples.get(dir);
    if (!pending) {
      pending = (async () => {
        for (const name of SIBLING_EXAMPLES) {
          const path = join(dir, name);
          if (!(await this.staysInside(path))) continue;
          const text = await readEnvFile(path, name).then(
            (c) => c.text,
            () => null,
          );
          if (text !== null) return { path, rules: readExampleRules(parseEnv(text)) };
        }
        return null;
      })();
      this.siblingExamples.set(dir, pending);
    }
    return pending;
  }

  /** False for a symlink whose target leaves every folder asked for (a sibling example is then not read). */
  private async staysInside(path: string): Promise<boolean> {
    const info = await lstat(path).catch(() => null);
    if (!info?.isSymbolicLink()) return true;
    const target = await realpath(path).catch(() => null);
    return target !== null && this.roots.some((root) => isInside(root, target));
  }

  /** The combined rules for a file (null: no example applies, as for templates); conflicts go to the rule files. */
  async rulesFor(file: string | null): Promise<RuleSet> {
    const example = file === null ? null : await this.exampleFor(file);
    const key = example?.path ?? '';
    const cached = this.ruleSets.get(key);
    if (cached) return cached;
    const layers: RuleLayers = {};
    if (this.profile) layers.profile = this.profile;
    if (this.schema) layers.schema = this.schema;
    if (example) layers.example = { file: this.display(example.path), rules: example.rules };
    const { rules, conflicts } = buildRuleSet(layers);
    for (const c of conflicts) {
      const target = this.ruleFileReport(resolve(this.cwd, c.file), c.file === this.schema?.file ? 'schema' : 'example');
      const finding: EnvFinding = {
        code: 'rule-conflict',
        severity: 'warning',
        variable: c.variable,
        message: c.message,
        fix: { action: 'edit' },
      };
      if (c.line !== undefined) finding.line = c.line;
      if (!target.findings.some((f) => f.message === finding.message)) target.findings.push(finding);
    }
    this.ruleSets.set(key, rules);
    return rules;
  }

  ruleFileReport(path: string, role: EnvFileReport['role']): EnvFileReport {
    const shown = this.display(path);
    let report = this.ruleFileReports.get(shown);
    if (!report) {
      report = { path: shown, role, findings: [] };
      this.ruleFileReports.set(shown, report);
    }
    return report;
  }
}
