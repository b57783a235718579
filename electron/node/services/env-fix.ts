// `env fix`: does what `env check` says can be fixed, in one run: fills missing and empty secrets, replaces every value
// check marks for regeneration (placeholders, published examples, weak or reused keys), and lists what is left to do
// by hand. The file is written through env-file-write (numbered backup, atomic, owner-only) and audited.
import { resolve } from 'node:path';
import type { AuditEvent } from '../../../shared/domain/audit.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey } from '../../../shared/domain/generated-key.js';
import { assertKeyName } from '../../../shared/domain/key-names.js';
import { checkEnvText } from '../../../shared/envcheck/check-file.js';
import { applyFix, planFix } from '../../../shared/envcheck/fix-plan.js';
import { splitStrays } from '../../../shared/envcheck/shown-name.js';
import type { EnvFixChange, EnvFixInput, EnvFixResult } from '../../../shared/envcheck/report.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { commitEnvEdit, modeChange, readForEdit } from '../envcheck/env-file-write.js';
import { RuleContext, shellQuote } from '../envcheck/rule-context.js';
import type { Audited } from './audited.js';
import type { GenerateService } from './generate-service.js';
import type { VaultService } from './vault-service.js';

export interface EnvFixDeps {
  generate: GenerateService;
  /** `fix --store-prefix` stores generated values through it. */
  vault: Pick<VaultService, 'store' | 'list'>;
  /** Leaves the audit line of every write into a file (the file is its target). */
  audited?: Audited | undefined;
  cwd: string;
}

function kebab(variable: string): string {
  return variable.toLowerCase().replace(/_/g, '-');
}

/** Refuses before anything is generated or written when a name is taken and `addVersion` was not asked for. */
async function assertNamesFree(vault: EnvFixDeps['vault'], names: Map<string, string>, addVersion: boolean): Promise<void> {
  if (names.size === 0 || addVersion) return;
  const taken = new Set((await vault.list()).map((k) => k.name));
  const clash = [...names.values()].filter((n) => taken.has(n));
  if (clash.length === 0) return;
  throw new KeyturnError(
    'already-exists',
    `${clash.length === 1 ? `A key named ${clash[0]} already exists` : `Keys named ${clash.join(', ')} already exist`} in the keychain; nothing was generated or written. Store the new values as new versions of ${clash.length === 1 ? 'it' : 'them'}, or choose another prefix.`,
    { names: clash },
  );
}

export async function fixEnvFile(deps: EnvFixDeps, input: EnvFixInput): Promise<EnvFixResult> {
  const ctx = await RuleContext.load(deps.cwd, input);
  const path = resolve(ctx.cwd, input.file);
  const shown = ctx.display(path);
  const original = await readForEdit(path, shown);
  const text = original?.text ?? '';
  const parsed = parseEnv(text);
  if (parsed.problems.length > 0) {
    throw new KeyturnError(
      'invalid-input',
      `${shown} has lines python-dotenv cannot read (line ${parsed.problems.map((p) => p.line).join(', ')}); fix them first (see \`keyturn env check ${shellQuote(shown)}\`) so Keyturn edits the file it understands.`,
    );
  }
  const rules = await ctx.rulesFor(path);
  // Lines that are not variables (a pasted key, a passwd-style file) mean this is not a file fix understands.
  const strays = splitStrays(parsed.entries, rules).strays;
  if (strays.length > 0) {
    throw new KeyturnError(
      'invalid-input',
      `${shown} has lines that are not variables (line ${strays.map((e) => e.line).join(', ')}); fix them first (see \`keyturn env check ${shellQuote(shown)}\`) so Keyturn edits the file it understands.`,
    );
  }
  const findings = checkEnvText({ text, role: 'env', rules, fixCommand: ctx.fixCommand(shown) }).findings;
  // Everything check offers to regenerate is regenerated: a placeholder needs no --regenerate of its own.
  const flagged = findings.filter((f) => f.fix?.action === 'regenerate' && f.variable !== undefined).map((f) => f.variable!);
  const regenerate = [...new Set([...(input.regenerate ?? []), ...flagged])];
  const plan = planFix(parsed, rules, { regenerate, withDefaults: input.withDefaults === true });

  // What fix leaves alone, so the user knows what to do next: every error on a variable it does not touch.
  const planned = new Set(plan.steps.map((s) => s.variable));
  const alreadyListed = new Set(plan.unfilled.map((u) => u.variable));
  const leftovers = findings.filter(
    (f) => f.variable !== undefined && !planned.has(f.variable) && !alreadyListed.has(f.variable) && f.severity === 'error',
  );
  const unfilled = [
    ...plan.unfilled,
    ...leftovers.map((f) => ({
      variable: f.variable!,
      reason: f.fix?.command && !f.message.includes(f.fix.command) ? `${f.message} Run \`${f.fix.command}\`.` : f.message,
    })),
  ];

  const names = new Map<string, string>();
  if (input.storePrefix !== undefined) {
    for (const step of plan.steps)
      if (step.generate) names.set(step.variable, assertKeyName(`${input.storePrefix}${kebab(step.variable)}`));
  }
  const result: EnvFixResult = {
    file: shown,
    backup: null,
    created: original === null,
    dryRun: input.dryRun === true,
    changed: plan.steps.length > 0,
    added: [],
    regenerated: [],
    stored: [],
    unfilled,
  };
  if (plan.steps.length === 0) return result;
  await assertNamesFree(deps.vault, names, input.addVersion === true);

  const generated = new Map<string, GeneratedKey>();
  const values = [];
  for (const step of plan.steps) {
    let value = step.defaultValue ?? '';
    if (step.generate) {
      if (input.dryRun) value = 'x';
      else {
        const key = await deps.generate.generate(step.generate);
        generated.set(step.variable, key);
        value = key.secret;
      }
    }
    values.push({ step, value });
  }
  const applied = applyFix(text, parsed, values, `Added by keyturn env fix${ctx.profile ? ` (profile ${ctx.profile.id})` : ''}`);

  for (const { step } of values) {
    const change: EnvFixChange = {
      variable: step.variable,
      kind: step.generate ? step.generate.kind : 'default',
      line: applied.lines.get(step.variable) ?? 0,
      how: step.how,
    };
    (step.how === 'replaced' ? result.regenerated : result.added).push(change);
  }
  if (input.dryRun) return result;

  // Read back what python-dotenv would load before touching the disk: every changed variable has its new value.
  const reread = envValues(parseEnv(applied.text));
  for (const { step, value } of values) {
    if (reread.get(step.variable) !== value)
      throw new KeyturnError('internal', `Keyturn's edit of ${step.variable} did not read back as written; ${shown} was not changed.`);
  }

  for (const [variable, name] of names) {
    const stored = await deps.vault.store({
      name,
      key: generated.get(variable)!,
      envVar: variable,
      addVersion: input.addVersion === true,
      target: path,
    });
    result.stored.push({ variable, name, version: stored.version });
  }

  const changes = [...result.added, ...result.regenerated];
  const event: AuditEvent = {
    action: 'env-write',
    key: changes.map((c) => c.variable).join(','),
    target: path,
    outcome: 'ok',
    detail: changes
      .map((c) => {
        const stored = result.stored.find((s) => s.variable === c.variable);
        const what = c.kind === 'default' ? 'documented default' : `new ${c.kind} value`;
        return `${c.variable} ${c.how}: ${what}${stored ? ` (stored as ${stored.name} v${stored.version})` : ''}`;
      })
      .join('; '),
  };
  const write = () => commitEnvEdit(path, shown, original, applied.text);
  const written = deps.audited
    ? await deps.audited(
        event,
        async ({ note }) => {
          const w = await write();
          const mode = modeChange(w);
          if (mode) note({ detail: `${event.detail}; mode ${mode.from} -> ${mode.to}` });
          return w;
        },
        { lock: false },
      )
    : await write();
  if (written.backup) result.backup = ctx.display(written.backup);
  const mode = modeChange(written);
  if (mode) result.permissions = mode;
  return result;
}
