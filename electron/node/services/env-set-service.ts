// `env set FILE VAR --from-key NAME[@vN]`: writes a stored key into a .env file, the way `env fix` writes (numbered
// backup, atomic, owner-only, audited with the file as target). `multi` writes the "new,old" list a MultiFernet
// application reads during a rotation's overlap. The value goes from the keychain to the file and nowhere else.
import { isAbsolute, relative, resolve } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { isEnvVarName } from '../../../shared/domain/env-var-name.js';
import { isAsymmetric } from '../../../shared/domain/key-kinds.js';
import { parseKeyRef, type KeyRef } from '../../../shared/domain/key-names.js';
import { formatValue } from '../../../shared/envcheck/fix-plan.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { commitEnvEdit, modeChange, readForEdit } from '../envcheck/env-file-write.js';
import { shellQuote } from '../envcheck/rule-context.js';
import type { Audited } from './audited.js';
import type { VaultService } from './vault-service.js';

export interface EnvSetInput {
  file: string;
  variable: string;
  /** `NAME` (its current version) or `NAME@vN`; several make a comma list, first to last. */
  keys: string[];
  /** One NAME: its current version, then its retiring ones (newest first), as a comma list. */
  multi?: boolean;
}

export interface EnvSetResult {
  file: string;
  variable: string;
  /** The versions written, in the order of the list. */
  versions: { name: string; version: number }[];
  how: 'replaced' | 'filled' | 'appended';
  line: number;
  created: boolean;
  backup: string | null;
  /** The file was made private (octal text before and after). */
  permissions?: { from: string; to: string };
}

export interface EnvSetService {
  set(input: EnvSetInput, signal?: AbortSignal): Promise<EnvSetResult>;
}

export interface EnvSetDeps {
  vault: Pick<VaultService, 'show' | 'reveal'>;
  audited: Audited;
  cwd?: () => string;
}

/** How a value is written: bare when that is safe; a PEM in double quotes with \n escapes (dotenv and python-dotenv agree). */
function literal(value: string): string {
  return value.includes('\n') ? `"${value.replace(/\n/g, '\\n')}"` : formatValue(value);
}

/** The backup as the user would name it: relative to their folder when it is under it. */
function shownBackup(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\n|\r/).length;
}

export function createEnvSetService(deps: EnvSetDeps): EnvSetService {
  const cwdOf = deps.cwd ?? (() => process.cwd());

  /** The versions to write, checked against the inventory before any value is read. */
  async function versionsOf(input: EnvSetInput): Promise<KeyRef[]> {
    if (input.keys.length === 0) throw new KeyturnError('usage', 'Name the stored key to write with --from-key NAME (or NAME@vN).');
    const refs = input.keys.map((k) => parseKeyRef(k));
    if (input.multi) {
      if (refs.length !== 1 || refs[0]!.version !== undefined)
        throw new KeyturnError(
          'usage',
          '--multi takes one --from-key NAME (no @vN): it writes its current version, then its retiring ones.',
        );
      const record = await deps.vault.show(refs[0]!.name);
      // The current version encrypts, so it comes first; the retiring ones follow, newest first.
      const live = record.versions.filter((v) => v.status !== 'retired').map((v) => v.version);
      const ordered = [record.current, ...live.filter((v) => v !== record.current).sort((a, b) => b - a)];
      return ordered.map((version) => ({ name: record.name, version }));
    }
    const out: KeyRef[] = [];
    for (const ref of refs) {
      const record = await deps.vault.show(ref.name);
      out.push({ name: record.name, version: ref.version ?? record.current });
    }
    return out;
  }

  return {
    async set(input, signal) {
      if (!isEnvVarName(input.variable))
        throw new KeyturnError('invalid-input', 'The variable must be a name: letters, digits and _, not starting with a digit.');
      const path = resolve(cwdOf(), input.file);
      const shown = input.file;
      const original = await readForEdit(path, shown);
      const text = original?.text ?? '';
      const parsed = parseEnv(text);
      if (parsed.problems.length > 0)
        throw new KeyturnError(
          'invalid-input',
          `${shown} has lines python-dotenv cannot read (line ${parsed.problems.map((p) => p.line).join(', ')}); fix them first (see \`keyturn env check ${shellQuote(shown)}\`).`,
        );
      const refs = await versionsOf(input);
      const kinds = new Set<string>();
      for (const ref of refs) kinds.add((await deps.vault.show(ref.name)).kind);
      if (refs.length > 1 && [...kinds].some((k) => isAsymmetric(k as never)))
        throw new KeyturnError(
          'invalid-input',
          'A list of several keys is for Fernet keys and secrets; a PEM private key goes alone in its variable.',
        );

      const versions = refs.map((r) => ({ name: r.name, version: r.version! }));
      const detail = `${input.variable} <- ${versions.map((v) => `${v.name} v${v.version}`).join(', ')}`;
      return deps.audited(
        { action: 'env-write', key: input.variable, target: path, outcome: 'ok', detail },
        async ({ note }) => {
          const values: string[] = [];
          for (const ref of refs) values.push((await deps.vault.reveal(ref, { reason: 'export', target: path, signal })).value);
          const value = values.join(',');
          const entries = parsed.entries.filter((e) => e.key === input.variable);
          const entry = entries[entries.length - 1];
          let next: string;
          let how: EnvSetResult['how'];
          let line: number;
          if (entry) {
            const insert = entry.value === null ? `=${literal(value)}` : literal(value);
            next = text.slice(0, entry.valueStart) + insert + text.slice(entry.valueEnd);
            how = entry.value === null || entry.value === '' ? 'filled' : 'replaced';
            line = entry.line;
          } else {
            const eol = parsed.eol;
            const lead = text.length > 0 && !parsed.endsWithNewline ? eol : '';
            next = `${text}${lead}# Added by keyturn env set${eol}${input.variable}=${literal(value)}${eol}`;
            how = 'appended';
            line = lineAt(next, next.length - 1);
          }
          if (envValues(parseEnv(next)).get(input.variable) !== value)
            throw new KeyturnError(
              'internal',
              `Keyturn's edit of ${input.variable} did not read back as written; ${shown} was not changed.`,
            );
          const written = await commitEnvEdit(path, shown, original, next);
          const mode = modeChange(written);
          if (mode) note({ detail: `${detail}; mode ${mode.from} -> ${mode.to}` });
          const result: EnvSetResult = {
            file: shown,
            variable: input.variable,
            versions,
            how,
            line,
            created: original === null,
            backup: written.backup && shownBackup(cwdOf(), written.backup),
          };
          if (mode) result.permissions = mode;
          return result;
        },
        { lock: false, signal },
      );
    },
  };
}
